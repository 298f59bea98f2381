import { revalidatePath } from "next/cache";

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
