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

describe("the one drop at server start", () => {
  const saved = process.env.SELF_ORIGIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.SELF_ORIGIN;
    else process.env.SELF_ORIGIN = saved;
  });

  it("asks again until the instance answers, then drops every article page once, with its secret", async () => {
    const { createServer } = await import("node:http");
    const { dropAllCachedPagesOnceServing } = await import("@/lib/cache/self-request");
    const seen: { body: string; secret: string | undefined }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ body, secret: req.headers[SECRET_HEADER] as string | undefined });
        // The route itself checks the secret; here, that the one it gets is the one this process holds.
        try {
          assertSelfRequest(new Request("http://127.0.0.1/", { headers: { [SECRET_HEADER]: String(req.headers[SECRET_HEADER]) } }));
          res.writeHead(204).end();
        } catch {
          res.writeHead(403).end();
        }
      });
    });
    // A free port, closed again: the first attempts find nobody listening (the server not started yet).
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    process.env.SELF_ORIGIN = `http://127.0.0.1:${port}`;
    const done = dropAllCachedPagesOnceServing(10_000, 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toHaveLength(0);
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    try {
      expect(await done).toBe(true);
      expect(seen).toHaveLength(1);
      expect(JSON.parse(seen[0]!.body)).toEqual({ allArticles: true });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("gives up after its time, with a warning, when the instance never answers", async () => {
    const { dropAllCachedPagesOnceServing } = await import("@/lib/cache/self-request");
    process.env.SELF_ORIGIN = "http://127.0.0.1:9";
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(await dropAllCachedPagesOnceServing(200, 50)).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("could not drop the article pages cached before start"));
    } finally {
      warn.mockRestore();
    }
  });
});
