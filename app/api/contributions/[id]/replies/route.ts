import { createReply } from "@/lib/annotations/create-reply";
import { listReplies } from "@/lib/annotations/list-replies";
import { createReplySchema, repliesQuerySchema } from "@/lib/annotations/schemas";
import { canPost } from "@/lib/auth/permissions";
import { getCurrentUser, requireUser } from "@/lib/auth/session";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { forbidden } from "@/lib/http/errors";
import { routeId } from "@/lib/http/parse";
import { handler, json, parseJson, parseQuery } from "@/lib/http/respond";
import { limitPosting } from "@/lib/rate-limit/limits-for";

type Ctx = { params: Promise<{ id: string }> };

/** GET ?cursor=&limit=: the contribution's direct replies, oldest first, 20 a page. */
export const GET = handler(async (req: Request, ctx: Ctx) => {
  const id = await routeId(ctx, "Contribution");
  const query = parseQuery(req, repliesQuerySchema);
  const viewer = await getCurrentUser();
  return json(await listReplies(id, { ...query, viewerId: viewer?.id ?? null }));
});

/** POST {kind, body, source?}: a signed-in reader answers a published contribution (posting limits apply). */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  if (!canPost(user, env().REQUIRE_VERIFIED_EMAIL_TO_POST)) throw forbidden("Confirm your email address before posting: use the link we sent you.");
  const id = await routeId(ctx, "Contribution");
  const input = await parseJson(req, createReplySchema);
  await limitPosting(user, clientIp(req.headers));
  const contribution = await createReply(user, id, input);
  invalidateArticlePages();
  return json({ contribution }, 201);
});
