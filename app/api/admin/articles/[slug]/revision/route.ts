import { requireAdmin } from "@/lib/auth/session";
import { publishRevision } from "@/lib/content/revise-article";
import { invalidateRevisedArticle } from "@/lib/content/revision-cache";
import { revisionInputSchema } from "@/lib/content/revision-input";
import { routeText } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string }> };

/**
 * POST {baseVersion, title, publisher?, …, body}: an admin publishes a revision → 201 with the
 * new version and the re-anchoring summary; 409 when the article has a newer version than
 * baseVersion; 422 when nothing changed (docs/decisions/0043-article-revisions.md).
 */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const admin = await requireAdmin();
  const slug = routeText((await ctx.params).slug, "Article");
  const input = await parseJson(req, revisionInputSchema);
  const revision = await publishRevision(admin, slug, input);
  invalidateRevisedArticle();
  return json({ revision }, 201);
});
