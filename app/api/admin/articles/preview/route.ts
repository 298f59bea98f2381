import { requireAdmin } from "@/lib/auth/session";
import { articleInputSchema } from "@/lib/content/article-input";
import { previewArticle } from "@/lib/content/preview-article";
import { handler, json, parseJson } from "@/lib/http/respond";

/** POST (the same body as POST /api/admin/articles): the parsed frontmatter and paragraphs, nothing stored. */
export const POST = handler(async (req: Request) => {
  const admin = await requireAdmin();
  const input = await parseJson(req, articleInputSchema);
  return json({ preview: previewArticle(admin, input) });
});
