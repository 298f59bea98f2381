import { createContribution } from "@/lib/annotations/create-contribution";
import { createContributionSchema } from "@/lib/annotations/schemas";
import { requireUser } from "@/lib/auth/session";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string }> };

/** POST: attach an annotation, counterpoint or source link to a claim. */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const { slug } = await ctx.params;
  const input = await parseJson(req, createContributionSchema);
  const contribution = await createContribution(user, slug, input);
  invalidateArticlePages();
  return json({ contribution }, 201);
});
