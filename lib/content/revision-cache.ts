import { revalidatePath } from "next/cache";
import { invalidateArticleList } from "@/lib/cache/invalidate";

/**
 * After a revision is published: the home page's list (the title may change), the cached
 * article pages (their text, version and old-anchor map) and the history pages.
 */
export function invalidateRevisedArticle(): void {
  invalidateArticleList();
  try {
    revalidatePath("/articles/[slug]/history", "page");
  } catch {
    // Outside a Next request (scripts, tests) there is no cache to drop.
  }
}
