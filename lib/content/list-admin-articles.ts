import { countPublishedByArticle } from "@/lib/annotations/count-published";
import type { KindCounts } from "@/lib/annotations/summary";
import { canManageArticles } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { forbidden } from "@/lib/http/errors";
import { listArticles, type ArticleListItem } from "./list-articles";

export interface AdminArticleRow extends ArticleListItem {
  counts: KindCounts;
}

/** /admin/articles: every article, where it comes from, its version and its published counts (admins only). */
export async function listAdminArticles(admin: CurrentUser): Promise<AdminArticleRow[]> {
  if (!canManageArticles(admin)) throw forbidden("Only admins can manage articles.");
  const [articles, counts] = await Promise.all([listArticles(), countPublishedByArticle()]);
  return articles.map((a) => ({ ...a, counts: counts.get(a.id) ?? { ANNOTATION: 0, COUNTERPOINT: 0, SOURCE: 0 } }));
}
