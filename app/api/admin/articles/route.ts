import { requireAdmin } from "@/lib/auth/session";
import { invalidateArticleList } from "@/lib/cache/invalidate";
import { articleInputSchema } from "@/lib/content/article-input";
import { createArticle } from "@/lib/content/create-article";
import { handler, json, parseJson } from "@/lib/http/respond";

/** POST {slug, title, publisher?, section?, author?, date?, caption?, credit?, note?, body}: an admin adds an article → 201; 409 if the slug is taken. */
export const POST = handler(async (req: Request) => {
  const admin = await requireAdmin();
  const input = await parseJson(req, articleInputSchema);
  const article = await createArticle(admin, input);
  invalidateArticleList();
  return json({ article }, 201);
});
