import { revalidatePath, revalidateTag } from "next/cache";
import { getDb } from "@/lib/db/client";

/** The cache tag of the home page's article list and counts (lib/cache/home-listing.ts). */
export const ARTICLE_LIST_TAG = "article-list";

/**
 * Article pages are cached (app/articles/[slug]/page.tsx); after any change to what they
 * show (a contribution created, edited, deleted or moderated), the route that made it drops
 * this instance's cached copies at once, so its own next request is fresh. Every instance —
 * this one too — also drops that article's page when PostgreSQL announces the change
 * (lib/cache/page-invalidation.ts, docs/decisions/0046), so the others are fresh within a moment.
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
 * article pages (a visit to the slug before it existed may have cached a 404) — here at once, and
 * in every instance through `page_cache` (no contribution changed, so no article event says so).
 */
export function invalidateArticleList(): void {
  try {
    revalidateTag(ARTICLE_LIST_TAG, { expire: 0 });
  } catch {
    // Outside a Next request there is no cache to drop.
  }
  invalidateArticlePages();
  void announce("article-list");
}

/** Tells every instance (through PostgreSQL) to drop what `what` names. */
async function announce(what: "article-list"): Promise<void> {
  try {
    const db = await getDb();
    await db.$executeRaw`SELECT pg_notify('page_cache', ${what})`;
  } catch (err) {
    console.warn(`[cache] could not tell the other instances: ${(err as Error).message}`);
  }
}
