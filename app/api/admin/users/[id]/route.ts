import { requireAdmin } from "@/lib/auth/session";
import { routeId } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";
import { changeRole } from "@/lib/users/change-role";
import { roleChangeSchema } from "@/lib/users/schemas";

type Ctx = { params: Promise<{ id: string }> };

/** PATCH {role}: change a role (never removing the last admin). */
export const PATCH = handler(async (req: Request, ctx: Ctx) => {
  const admin = await requireAdmin();
  const id = await routeId(ctx, "User");
  const { role } = await parseJson(req, roleChangeSchema);
  return json({ user: await changeRole(admin, id, role) });
});
