import { requireAdmin } from "@/lib/auth/session";
import { routeId } from "@/lib/http/parse";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson } from "@/lib/http/respond";
import { suspendSchema } from "@/lib/users/schemas";
import { liftSuspension, suspendUser } from "@/lib/users/suspend-user";

type Ctx = { params: Promise<{ id: string }> };

/** POST {reason, until?, hideContributions?}: suspend an account. */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const admin = await requireAdmin();
  const id = await routeId(ctx, "User");
  const input = await parseJson(req, suspendSchema);
  const result = await suspendUser(admin, id, input);
  invalidateArticlePages();
  return json(result, 201);
});

/** DELETE: lift a suspension. */
export const DELETE = handler(async (_req: Request, ctx: Ctx) => {
  const admin = await requireAdmin();
  await liftSuspension(admin, await routeId(ctx, "User"));
  return new Response(null, { status: 204 });
});
