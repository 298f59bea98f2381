import { idSchema } from "@/lib/annotations/schemas";
import { requireAdmin } from "@/lib/auth/session";
import { notFound } from "@/lib/http/errors";
import { handler, json, parseJson } from "@/lib/http/respond";
import { changeRole } from "@/lib/users/change-role";
import { roleChangeSchema } from "@/lib/users/schemas";

type Ctx = { params: Promise<{ id: string }> };

/** PATCH {role}: change a role (never removing the last admin). */
export const PATCH = handler(async (req: Request, ctx: Ctx) => {
  const admin = await requireAdmin();
  const { id } = await ctx.params;
  if (!idSchema.safeParse(id).success) throw notFound("User");
  const { role } = await parseJson(req, roleChangeSchema);
  return json({ user: await changeRole(admin, id, role) });
});
