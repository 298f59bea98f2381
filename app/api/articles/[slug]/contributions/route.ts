import { createContribution } from "@/lib/annotations/create-contribution";
import { createContributionSchema } from "@/lib/annotations/schemas";
import { canPost } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { forbidden } from "@/lib/http/errors";
import { routeText } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";
import { limitPosting } from "@/lib/rate-limit/limits-for";

type Ctx = { params: Promise<{ slug: string }> };

/** POST: attach an annotation, counterpoint or source link to a claim. */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  if (!canPost(user, env().REQUIRE_VERIFIED_EMAIL_TO_POST)) throw forbidden("Confirm your email address before posting: use the link we sent you.");
  const slug = routeText((await ctx.params).slug, "Article");
  const input = await parseJson(req, createContributionSchema);
  await limitPosting(user, clientIp(req.headers));
  const contribution = await createContribution(user, slug, input);
  invalidateArticlePages();
  return json({ contribution }, 201);
});
