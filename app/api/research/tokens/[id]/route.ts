import { requireUser } from "@/lib/auth/session";
import { notFound } from "@/lib/http/errors";
import { handler, json } from "@/lib/http/respond";
import { idParamSchema } from "@/lib/research/schemas";
import { revokeToken } from "@/lib/research/tokens";

/** DELETE: revokes one of the caller's tokens (it stops working at once). Session only. */
export const DELETE = handler(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await requireUser();
  const { id } = await ctx.params;
  if (!idParamSchema.safeParse({ id }).success) throw notFound("Token");
  return json({ record: await revokeToken(user, id) });
});
