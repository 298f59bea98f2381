import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PageInvalidator } from "@/lib/cache/page-invalidation";
import { assertSelfRequest, pageCacheRequestSchema, SECRET_HEADER } from "@/lib/cache/self-request";
import type { PageCacheRequest } from "@/lib/cache/self-request";

/** The per-instance page cache follows PostgreSQL's notifications, at most once a second per article. */
describe("PageInvalidator", () => {
  let drops: PageCacheRequest[];
  let inv: PageInvalidator;
  const slugs: Record<string, string> = { a1: "first", a2: "second" };

  beforeEach(() => {
    vi.useFakeTimers();
    drops = [];
    inv = new PageInvalidator(
      async (what) => void drops.push(what),
      async (id) => slugs[id] ?? null,
      1000,
    );
  });
  afterEach(() => vi.useRealTimers());

  it("drops only the changed article's page, the first change at once", async () => {
    inv.articleChanged("a1");
    await vi.advanceTimersByTimeAsync(0);
    expect(drops).toEqual([{ paths: ["/articles/first"] }]);
  });

  it("a burst costs one drop at once and one at the end of the second, which covers the rest", async () => {
    inv.articleChanged("a1");
    for (let i = 0; i < 50; i++) {
      await vi.advanceTimersByTimeAsync(15);
      inv.articleChanged("a1");
    }
    expect(drops).toHaveLength(1);
    expect(inv.pending("a1")).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(drops).toEqual([{ paths: ["/articles/first"] }, { paths: ["/articles/first"] }]);
    expect(inv.pending("a1")).toBe(false);
    // Quiet for a second: the next change is dropped at once again.
    await vi.advanceTimersByTimeAsync(1000);
    inv.articleChanged("a1");
    await vi.advanceTimersByTimeAsync(0);
    expect(drops).toHaveLength(3);
  });

  it("articles do not hold each other back", async () => {
    inv.articleChanged("a1");
    inv.articleChanged("a2");
    await vi.advanceTimersByTimeAsync(0);
    expect(drops).toEqual([{ paths: ["/articles/first"] }, { paths: ["/articles/second"] }]);
  });

  it("an article it cannot name drops every article page; a lost connection too", async () => {
    inv.articleChanged("unknown");
    await vi.advanceTimersByTimeAsync(0);
    await inv.missedSome();
    expect(drops).toEqual([{ allArticles: true }, { allArticles: true }]);
  });
});

describe("the internal page-cache route's guard", () => {
  const req = (headers: Record<string, string>) => new Request("http://127.0.0.1/api/internal/page-cache", { method: "POST", headers });

  it("refuses a caller without this process's secret, or from elsewhere", () => {
    expect(() => assertSelfRequest(req({}))).toThrow(/for the app instance itself/);
    expect(() => assertSelfRequest(req({ [SECRET_HEADER]: "guess" }))).toThrow(/for the app instance itself/);
  });

  it("takes only article paths", () => {
    expect(pageCacheRequestSchema.safeParse({ paths: ["/articles/an-op-ed"] }).success).toBe(true);
    expect(pageCacheRequestSchema.safeParse({ paths: ["/admin"] }).success).toBe(false);
    expect(pageCacheRequestSchema.safeParse({ paths: ["/articles/../admin"] }).success).toBe(false);
    expect(pageCacheRequestSchema.safeParse({ everything: true }).success).toBe(false);
  });
});
