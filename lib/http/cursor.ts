import { z } from "zod";
import { fieldError } from "./errors";

/**
 * Keyset paging: the one definition of a paging cursor and of "the page after it".
 * A cursor is (time, uuid) of the last row of the previous page, encoded as base64url.
 */

/** What the query schemas accept as `cursor` (the shape only; decodeCursor checks the content). */
export const cursorSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, "is not a valid cursor");

/** The times a cursor may name: what PostgreSQL's timestamptz and our ISO strings both hold. */
const EARLIEST = Date.UTC(1, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const uuid = z.uuid();

export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

/** The time `iso` names if it is exactly what toISOString writes, within EARLIEST..LATEST. */
function exactTime(iso: string): Date | null {
  const at = new Date(iso);
  const time = at.getTime();
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST || at.toISOString() !== iso) return null;
  return at;
}

/** The cursor's (time, id), or null unless it is exactly what encodeCursor writes. */
export function readCursor(cursor: string): Cursor | null {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (parts.length !== 2) return null;
  const [iso, id] = parts as [string, string];
  const at = exactTime(iso);
  if (!at || !uuid.safeParse(id).success) return null;
  return { at, id };
}

/** 422 for a cursor that encodeCursor did not write (forged, truncated, out of range). */
export function decodeCursor(cursor: string): Cursor {
  const c = readCursor(cursor);
  if (!c) throw fieldError("cursor", "is not a valid cursor");
  return c;
}

/**
 * The rows after `cursor` in the order (field, id), both ascending or both descending, as a
 * where-fragment to AND with the rest. The first condition is implied by the second but gives
 * an index scan a bound to start from.
 */
export function afterCursor<F extends string>(cursor: string | undefined, field: F, order: "asc" | "desc" = "desc") {
  if (!cursor) return undefined;
  const c = decodeCursor(cursor);
  const asc = order === "asc";
  const bound = { [field]: asc ? { gte: c.at } : { lte: c.at } } as Record<F, { gte: Date } | { lte: Date }>;
  const past = { [field]: asc ? { gt: c.at } : { lt: c.at } } as Record<F, { gt: Date } | { lt: Date }>;
  const tie = { [field]: c.at, id: asc ? { gt: c.id } : { lt: c.id } } as Record<F, Date> & { id: { gt: string } | { lt: string } };
  return { AND: [bound, { OR: [past, tie] }] };
}

/**
 * One page from rows fetched with `take: limit + 1`: the first `limit`, and a cursor for the
 * next page when there was one more.
 */
export function keysetPage<R>(rows: R[], limit: number, key: (row: R) => [Date, string]): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(...key(last)) : null };
}

/**
 * The cursor of an order by a stored rank before time and id — "Most helpful"
 * (lib/annotations/list-contributions.ts): tier, then score, then (createdAt, id) as above.
 */
export interface RankedCursor extends Cursor {
  tier: number;
  score: number;
}

export function encodeRankedCursor(k: RankedCursor): string {
  return Buffer.from(`${k.tier}|${k.score}|${k.at.toISOString()}|${k.id}`).toString("base64url");
}

/** 422 for a ranked cursor that encodeRankedCursor did not write. */
export function decodeRankedCursor(cursor: string): RankedCursor {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const [tier, score, iso, id] = parts as [string, string, string, string];
  const at = parts.length === 4 ? exactTime(iso) : null;
  const k = at && /^[0-3]$/.test(tier) && Number.isFinite(Number(score)) && String(Number(score)) === score && uuid.safeParse(id).success
    ? { tier: Number(tier), score: Number(score), at, id }
    : null;
  if (!k) throw fieldError("cursor", "is not a valid cursor");
  return k;
}

/**
 * The cursor of a full-text search (lib/search/search-contributions.ts): rank descending, then id
 * descending. The rank is kept exactly as PostgreSQL printed the `real` (the shortest text that reads
 * back as the same value), so "the rows after it" compares equal ranks exactly.
 */
export interface RankCursor {
  rank: string;
  id: string;
}

/** A `real` as PostgreSQL prints it: non-negative, finite, within the type's range. */
const REAL = /^(0|[1-9]\d*)(\.\d+)?(e[+-]?\d+)?$/;

export function encodeRankCursor(k: RankCursor): string {
  return Buffer.from(`${k.rank}|${k.id}`).toString("base64url");
}

/** The cursor's (rank, id), or null unless it is exactly what encodeRankCursor writes. */
export function readRankCursor(cursor: string): RankCursor | null {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (parts.length !== 2) return null;
  const [rank, id] = parts as [string, string];
  if (!REAL.test(rank) || !(Number(rank) <= 3.4028235e38) || !uuid.safeParse(id).success) return null;
  return { rank, id };
}

/** 422 for a search cursor that encodeRankCursor did not write. */
export function decodeRankCursor(cursor: string): RankCursor {
  const k = readRankCursor(cursor);
  if (!k) throw fieldError("cursor", "is not a valid cursor");
  return k;
}
