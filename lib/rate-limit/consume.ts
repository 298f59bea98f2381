import { getDb } from "@/lib/db/client";
import type { Limit } from "./limits";
import { AppError } from "@/lib/http/errors";

export interface LimitResult {
  ok: boolean;
  count: number;
  retryAfterSeconds: number;
}

/**
 * Sliding windows: a limit of `max` per `windowSeconds` means at most `max` accepted hits in any
 * `windowSeconds` before now, not per clock-aligned window (where two posts 6 s apart either side of
 * a boundary both passed a "1 per 30 s" limit). Each accepted hit is one row (windowStart = when it
 * was accepted, expiresAt = when it stops counting); a refused hit is not stored, so hammering does
 * not extend the wait. The check and the insert run under a transaction-scoped advisory lock on the
 * key, so concurrent requests on any app instance are counted one at a time, exactly.
 */
export async function hit(key: string, limit: Limit, now = new Date()): Promise<LimitResult> {
  const db = await getDb();
  const windowMs = limit.windowSeconds * 1000;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`rate:${key}`}, 0))`;
    const hits = await recentHits(tx, key, windowMs, now);
    if (hits.length >= limit.max) {
      return { ok: false, count: hits.length + 1, retryAfterSeconds: retryAfter(hits, limit.max, windowMs, now) };
    }
    // Two hits in the same millisecond get consecutive ones: (key, windowStart) is the key.
    const last = hits[hits.length - 1];
    const at = last && last.getTime() >= now.getTime() ? new Date(last.getTime() + 1) : now;
    await tx.$executeRaw`
      INSERT INTO "RateLimitBucket" ("key", "windowStart", "count", "expiresAt")
      VALUES (${key}, ${at}, 1, ${new Date(at.getTime() + windowMs)})`;
    const count = hits.length + 1;
    return { ok: true, count, retryAfterSeconds: retryAfter([...hits, at], limit.max, windowMs, now) };
  });
}

/** Reads a counter without counting (for "too many failed sign-ins"): ok while another hit would be accepted. */
export async function peek(key: string, limit: Limit, now = new Date()): Promise<LimitResult> {
  const db = await getDb();
  const windowMs = limit.windowSeconds * 1000;
  const hits = await recentHits(db, key, windowMs, now);
  return { ok: hits.length < limit.max, count: hits.length, retryAfterSeconds: retryAfter(hits, limit.max, windowMs, now) };
}

type Reader = Pick<Awaited<ReturnType<typeof getDb>>, "$queryRaw">;

/** The accepted hits on `key` that still count at `now`, oldest first. */
async function recentHits(db: Reader, key: string, windowMs: number, now: Date): Promise<Date[]> {
  const rows = await db.$queryRaw<{ at: Date }[]>`
    SELECT "windowStart" AS at FROM "RateLimitBucket"
    WHERE "key" = ${key} AND "windowStart" > ${new Date(now.getTime() - windowMs)}
    ORDER BY "windowStart"`;
  return rows.map((r) => new Date(r.at));
}

/** Seconds until one more hit would be accepted: when the oldest of the last `max` stops counting. */
function retryAfter(hits: Date[], max: number, windowMs: number, now: Date): number {
  if (hits.length < max) return 1;
  const freeing = hits[hits.length - max]!;
  return Math.max(1, Math.ceil((freeing.getTime() + windowMs - now.getTime()) / 1000));
}

export function rateLimited(what: string, retryAfterSeconds: number): AppError {
  const wait =
    retryAfterSeconds < 90
      ? `${retryAfterSeconds} seconds`
      : retryAfterSeconds < 90 * 60
        ? `${Math.ceil(retryAfterSeconds / 60)} minutes`
        : `${Math.ceil(retryAfterSeconds / 3600)} hours`;
  return new AppError("rate_limited", `Too many ${what}. Try again in ${wait}.`, { retryAfterSeconds });
}

/** Counts a hit on each key; throws a 429 AppError for the first limit exceeded. */
export async function enforce(what: string, checks: [string, Limit][]): Promise<void> {
  for (const [key, limit] of checks) {
    const r = await hit(key, limit);
    if (!r.ok) throw rateLimited(what, r.retryAfterSeconds);
  }
}

/** Deletes expired counters (called opportunistically). */
export async function sweepExpired(now = new Date()): Promise<number> {
  const db = await getDb();
  const res = await db.rateLimitBucket.deleteMany({ where: { expiresAt: { lt: now } } });
  return res.count;
}
