import { requireAdmin } from "@/lib/auth/session";
import { handler, json, parseQuery } from "@/lib/http/respond";
import { userSearchSchema } from "@/lib/users/schemas";
import { searchUsers } from "@/lib/users/search-users";

/** GET ?q=: find people by name or email (admins only). */
export const GET = handler(async (req: Request) => {
  const admin = await requireAdmin();
  const { q } = parseQuery(req, userSearchSchema);
  return json({ users: await searchUsers(admin, q) });
});
