import { getDb } from "@/lib/db/client";
import type { Limit } from "./limits";
import { AppError } from "@/lib/http/errors";

export interface LimitResult {
  ok: boolean;
  count: number;
  retryAfterSeconds: number;
}

/**
 * Counts one hit against `key` in a fixed window and says whether it is within `limit`.
 * One atomic upsert in PostgreSQL, so every app instance sees the same counters.
 */
export async function hit(key: string, limit: Limit, now = new Date()): Promise<LimitResult> {
  const db = await getDb();
  const windowMs = limit.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const expiresAt = new Date(windowStart.getTime() + windowMs);
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitBucket" ("key", "windowStart", "count", "expiresAt")
    VALUES (${key}, ${windowStart}, 1, ${expiresAt})
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 1);
  const retryAfterSeconds = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
  return { ok: count <= limit.max, count, retryAfterSeconds };
}

/** Reads a counter without counting (for "too many failed sign-ins"). */
export async function peek(key: string, limit: Limit, now = new Date()): Promise<LimitResult> {
  const db = await getDb();
  const windowMs = limit.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const row = await db.rateLimitBucket.findUnique({ where: { key_windowStart: { key, windowStart } } });
  const count = row?.count ?? 0;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { ok: count < limit.max, count, retryAfterSeconds };
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
