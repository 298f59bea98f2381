import { revalidatePath, revalidateTag } from "next/cache";

/** The cache tag of the home page's article list and counts (lib/cache/home-listing.ts). */
export const ARTICLE_LIST_TAG = "article-list";

/**
 * Article pages are cached (app/articles/[slug]/page.tsx); after any change to what they
 * show (a contribution created, edited, deleted or moderated), drop the cached copies so
 * the next visitor gets fresh counts. Per instance: other instances catch up within the
 * page's revalidate interval.
 */
export function invalidateArticlePages(): void {
  try {
    revalidatePath("/articles/[slug]", "page");
  } catch {
    // Outside a Next request (scripts, tests) there is no cache to drop.
  }
}

/**
 * After an article is added: the home page's list (expired at once, not served stale) and the
 * article pages (a visit to the slug before it existed may have cached a 404).
 */
export function invalidateArticleList(): void {
  try {
    revalidateTag(ARTICLE_LIST_TAG, { expire: 0 });
  } catch {
    // Outside a Next request there is no cache to drop.
  }
  invalidateArticlePages();
}
