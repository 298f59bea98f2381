import { requireUser } from "@/lib/auth/session";
import { routeId } from "@/lib/http/parse";
import { handler, json } from "@/lib/http/respond";
import { revokeToken } from "@/lib/research/tokens";

/** DELETE: revokes one of the caller's tokens (it stops working at once). Session only. */
export const DELETE = handler(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await requireUser();
  return json({ record: await revokeToken(user, await routeId(ctx, "Token")) });
});
