import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";

/**
 * Next drops a cached page only inside a request of the process that holds it (revalidatePath
 * needs its request store; Next 16 has no API for it from a background task). So an instance that
 * hears a change through PostgreSQL asks itself, over loopback, to run POST /api/internal/page-cache
 * (docs/decisions/0046-live-notifications-and-page-cache.md). The route answers only a caller that
 * knows this process's secret: random, made at start, held in memory and never sent anywhere but
 * to this same process.
 */

export const SECRET_HEADER = "x-internal-secret";

const g = globalThis as typeof globalThis & { __pageCacheSecret?: Buffer };

/** On globalThis: the instrumentation bundle (which sends) and the route's bundle (which checks) share it. */
function secret(): Buffer {
  g.__pageCacheSecret ??= randomBytes(32);
  return g.__pageCacheSecret;
}

/** What the route is asked to drop. */
export const pageCacheRequestSchema = z
  .object({
    /** Concrete article paths, e.g. /articles/an-op-ed. */
    paths: z
      .array(z.string().regex(/^\/articles\/[A-Za-z0-9._~-]{1,200}$/, "must be an article's path"))
      .max(100)
      .default([]),
    /** Every article page (after a lost LISTEN connection, or an article added). */
    allArticles: z.boolean().default(false),
    /** The home page's article list (an article added). */
    articleList: z.boolean().default(false),
  })
  .strict();
export type PageCacheRequest = z.input<typeof pageCacheRequestSchema>;

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * Refuses (403) a request that is not this process asking itself: the secret must match, and
 * when scripts/server.mjs says who connected (x-peer-address), it must be the loopback address.
 */
export function assertSelfRequest(req: Request): void {
  const peer = req.headers.get("x-peer-address");
  const given = Buffer.from(req.headers.get(SECRET_HEADER) ?? "", "utf8");
  const expected = Buffer.from(secret().toString("base64url"), "utf8");
  const secretOk = given.length === expected.length && timingSafeEqual(given, expected);
  if (!secretOk || (peer !== null && !LOOPBACK.has(peer))) {
    throw new AppError("forbidden", "This route is for the app instance itself.");
  }
}

/** Where this process serves: scripts/server.mjs sets SELF_ORIGIN; `next start` sets PORT. */
function selfOrigin(): string {
  return process.env.SELF_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`;
}

/** How long the instance's own answer may take; a failure is logged (the page's revalidate interval is the safety net). */
const TIMEOUT_MS = 5_000;

/** Asks this process to drop the given cached pages; false (and a warning, unless `quiet`) when it could not. */
export async function dropOwnCachedPages(what: PageCacheRequest, { quiet = false } = {}): Promise<boolean> {
  try {
    const res = await fetch(`${selfOrigin()}/api/internal/page-cache`, {
      method: "POST",
      headers: { "content-type": "application/json", [SECRET_HEADER]: secret().toString("base64url") },
      body: JSON.stringify(what),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok && !quiet) console.warn(`[cache] dropping cached pages: ${res.status}`);
    return res.ok;
  } catch (err) {
    if (!quiet) console.warn(`[cache] dropping cached pages: ${(err as Error).message}`);
    return false;
  }
}

/**
 * Once, at server start: every article page this process may serve from its cache (prerendered
 * by `next build`, or left on disk by an earlier run) was rendered before the content and the
 * discussion it shows now — a revision loaded at start or by `npm run content:load`, contributions
 * made while the instance was down. Retries until the server answers (it starts listening after
 * instrumentation's register() has run), for at most `forMs`.
 */
export async function dropAllCachedPagesOnceServing(forMs = 60_000, everyMs = 250): Promise<boolean> {
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    if (await dropOwnCachedPages({ allArticles: true }, { quiet: true })) return true;
    await new Promise((r) => setTimeout(r, everyMs).unref?.());
  }
  console.warn("[cache] could not drop the article pages cached before start; they refresh on their interval");
  return false;
}
