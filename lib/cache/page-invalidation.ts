import { getDb } from "@/lib/db/client";
import { liveBus } from "@/lib/live/bus";
import { dropAllCachedPagesOnceServing, dropOwnCachedPages, type PageCacheRequest } from "./self-request";

/** At most one drop per article per instance this often: each drop makes the next visitor render the page again. */
export const MIN_GAP_MS = 1_000;

/**
 * Keeps this instance's cached article pages (ADR 0006) in step with the database, whichever
 * instance made the change: on every `article_events` notification (a contribution changed) it
 * drops its own copy of that article's page, at most once per MIN_GAP_MS per article — the first
 * change of a burst at once, the rest together at the end of the gap; on `page_cache` (an article
 * added) the article list and every article page; after a lost LISTEN connection every article
 * page (what was committed meanwhile was not heard). docs/decisions/0046.
 */
export class PageInvalidator {
  private articles = new Map<string, { last: number; timer: ReturnType<typeof setTimeout> | null }>();
  private slugs = new Map<string, string>();

  constructor(
    private readonly drop: (what: PageCacheRequest) => Promise<void>,
    private readonly slugOf: (articleId: string) => Promise<string | null>,
    private readonly gapMs = MIN_GAP_MS,
  ) {}

  articleChanged(articleId: string): void {
    const now = Date.now();
    let s = this.articles.get(articleId);
    if (!s) {
      s = { last: -Infinity, timer: null };
      this.articles.set(articleId, s);
    }
    if (s.timer) return; // a drop is already due at the end of the gap: it covers this change too
    const wait = s.last + this.gapMs - now;
    if (wait <= 0) {
      s.last = now;
      void this.dropArticle(articleId);
    } else {
      const entry = s;
      entry.timer = setTimeout(() => {
        entry.timer = null;
        entry.last = Date.now();
        void this.dropArticle(articleId);
      }, wait);
      entry.timer.unref?.();
    }
    this.forgetQuiet(now);
  }

  /** Articles quiet for longer than the gap need no state: memory stays bounded by the articles changing now. */
  private forgetQuiet(now: number): void {
    if (this.articles.size <= 256) return;
    for (const [id, s] of this.articles) if (!s.timer && now - s.last > this.gapMs) this.articles.delete(id);
  }

  private async dropArticle(articleId: string): Promise<void> {
    let slug = this.slugs.get(articleId);
    if (slug === undefined) {
      const found = await this.slugOf(articleId).catch((err: Error) => {
        console.warn(`[cache] article ${articleId}: ${err.message}`);
        return null;
      });
      if (found === null) return this.drop({ allArticles: true });
      if (this.slugs.size > 10_000) this.slugs.clear();
      this.slugs.set(articleId, found);
      slug = found;
    }
    await this.drop({ paths: [`/articles/${slug}`] });
  }

  articleListChanged(): Promise<void> {
    return this.drop({ articleList: true });
  }

  missedSome(): Promise<void> {
    return this.drop({ allArticles: true });
  }

  /** For tests: is a drop waiting for the end of its gap? */
  pending(articleId: string): boolean {
    return !!this.articles.get(articleId)?.timer;
  }
}

async function slugOf(articleId: string): Promise<string | null> {
  const db = await getDb();
  return (await db.article.findUnique({ where: { id: articleId }, select: { slug: true } }))?.slug ?? null;
}

/** Server start (lib/startup.ts): every instance keeps its own page cache fresh. */
export function startPageCacheInvalidation(): void {
  const g = globalThis as typeof globalThis & { __pageInvalidator?: PageInvalidator };
  if (g.__pageInvalidator) return;
  const inv = new PageInvalidator(async (what) => void (await dropOwnCachedPages(what)), slugOf);
  g.__pageInvalidator = inv;
  const bus = liveBus();
  const missed = () => void inv.missedSome();
  // Listening first, then the one drop of what was cached before: nothing committed in between is missed.
  void bus
    .on("article_events", (articleId) => inv.articleChanged(articleId), missed)
    .catch((err) => console.warn(`[cache] cannot LISTEN: ${(err as Error).message}; cached pages refresh on their interval`))
    .then(() => dropAllCachedPagesOnceServing());
  void bus.on("page_cache", (what) => {
    if (what === "article-list") void inv.articleListChanged();
  }).catch(() => undefined);
}
