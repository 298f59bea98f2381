import { unstable_cache } from "next/cache";
import { countPublishedByArticle } from "@/lib/annotations/count-published";
import type { KindCounts } from "@/lib/annotations/summary";
import { listArticles, type ArticleListItem } from "@/lib/content/list-articles";
import { ARTICLE_LIST_TAG } from "./invalidate";

export interface HomeArticle extends ArticleListItem {
  counts: KindCounts;
  total: number;
}

async function readHomeListing(): Promise<HomeArticle[]> {
  const [articles, counts] = await Promise.all([listArticles(), countPublishedByArticle()]);
  return articles.map((a) => {
    const c = counts.get(a.id) ?? { ANNOTATION: 0, COUNTERPOINT: 0, SOURCE: 0 };
    return { ...a, counts: c, total: c.ANNOTATION + c.COUNTERPOINT + c.SOURCE };
  });
}

/** Seconds the home page's counts may lag behind new contributions (as the article pages' ISR interval). */
export const HOME_LISTING_SECONDS = 30;

/**
 * The home page's articles and published counts, from Next's data cache: the grouped count runs
 * at most once per HOME_LISTING_SECONDS per instance, and at once after an article is added
 * (invalidateArticleList). docs/decisions/0038.
 */
export const homeListing = unstable_cache(readHomeListing, ["home-listing"], { revalidate: HOME_LISTING_SECONDS, tags: [ARTICLE_LIST_TAG] });
