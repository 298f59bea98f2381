import { z } from "zod";
import { readCursor } from "./cursor";
import { AppError, fieldError, notFound, validationError } from "./errors";

/**
 * The one parsing of what a request carries: JSON bodies, query strings, route params and the
 * query of a page. Everything here answers 4xx for bad input and never lets through a value
 * PostgreSQL cannot store or compare (NUL, half a surrogate pair, an integer past int4, a
 * time past timestamptz), so a bad request can never become a 500. See docs/decisions/0023.
 */

/** Bodies larger than this are refused with 413 before they are parsed. */
export const MAX_JSON_BYTES = 256 * 1024;
/** Objects and arrays nested deeper than this are refused with 422 (no legitimate body needs 5). */
export const MAX_JSON_DEPTH = 32;
/** PostgreSQL's `integer`: every Int column and every count we compare with one. */
export const INT4_MAX = 2_147_483_647;

export interface Problem {
  field: string;
  message: string;
}

/** Why PostgreSQL could not store `s` as sent, or null: NUL is refused (a 500), a lone surrogate becomes U+FFFD. */
export function unstorableReason(s: string): string | null {
  if (s.includes("\u0000")) return "must not contain a NUL character (U+0000)";
  if (!s.isWellFormed()) return "contains half of a character (a lone UTF-16 surrogate)";
  return null;
}

/**
 * The first string in `value` (keys included, in document order) that PostgreSQL could not
 * store as sent, or the first object or array nested deeper than MAX_JSON_DEPTH. Iterative: a
 * body nested 100,000 levels deep costs no stack.
 */
export function findUnstorableText(value: unknown, path: string[] = []): Problem | null {
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path }];
  while (stack.length) {
    const { v, path: at } = stack.pop()!;
    const field = at.join(".") || "(body)";
    if (typeof v === "string") {
      const reason = unstorableReason(v);
      if (reason) return { field, message: reason };
      continue;
    }
    if (!v || typeof v !== "object") continue;
    if (at.length - path.length >= MAX_JSON_DEPTH) return { field, message: `is nested too deeply (at most ${MAX_JSON_DEPTH} levels)` };
    const children: { v: unknown; path: string[] }[] = [];
    if (Array.isArray(v)) v.forEach((item, i) => children.push({ v: item, path: [...at, String(i)] }));
    else {
      for (const [k, item] of Object.entries(v)) {
        children.push({ v: k, path: [...at, k] }, { v: item, path: [...at, k] });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}

const tooLarge = () => new AppError("payload_too_large", `The request body must be at most ${MAX_JSON_BYTES / 1024} KiB.`);

/** The body as text, refusing more than `limit` bytes (413) and bytes that are not UTF-8 (400). */
async function readText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (declared > limit) throw tooLarge();
  if (!req.body) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "The request body must be UTF-8.");
  }
}

/** Parses a JSON request body with a zod schema: 413 when too large, 400 unless JSON, 422 for bad fields. */
export async function parseJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const text = await readText(req, MAX_JSON_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body must be JSON.");
  }
  const problem = findUnstorableText(body);
  if (problem) throw fieldError(problem.field, problem.message);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Parses search params (or any flat params) with a zod schema; 422 on unstorable text or bad values. */
export function parseParams<S extends z.ZodType>(input: Record<string, unknown>, schema: S): z.infer<S> {
  const problem = findUnstorableText(input);
  if (problem) throw fieldError(problem.field, problem.message);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** A route handler's query string, parsed with `schema` (see parseParams). */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  return parseParams(Object.fromEntries(new URL(req.url).searchParams), schema);
}

// ---------------------------------------------------------------- route params

const uuid = z.uuid("is not a valid id");

/** True for a well-formed id (a UUID, as every id column is). */
export function isId(value: unknown): value is string {
  return uuid.safeParse(value).success;
}

/** True for a route segment that can name something: 1-200 characters PostgreSQL can store. */
export function isRouteText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 200 && unstorableReason(value) === null;
}

/** The `[id]` of a route; a malformed one names nothing that exists (404 "<what> not found."). */
export async function routeId(ctx: { params: Promise<{ id: string }> }, what: string): Promise<string> {
  const { id } = await ctx.params;
  if (!isId(id)) throw notFound(what);
  return id;
}

/** A text segment of a route (a slug, an anchor); one that cannot name anything is a 404. */
export function routeText(value: string, what: string): string {
  if (!isRouteText(value)) throw notFound(what);
  return value;
}

/**
 * Why a request path can name nothing here, or null: percent-escapes that do not decode to
 * UTF-8 (Next's router would fail on them with a 500) or a NUL once decoded. proxy.ts answers
 * 400 for these before any route sees them.
 */
export function badPathReason(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return "The URL's percent-escapes do not decode to UTF-8.";
  }
  return decoded.includes("\u0000") ? "The URL must not contain a NUL character (%00)." : null;
}

// ---------------------------------------------------------------- pages

export type SearchParams = Record<string, string | string[] | undefined>;

/** Search params as plain strings (the first of repeated keys), empty values dropped. */
export function flatParams(raw: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined && s !== "") out[k] = s;
  }
  return out;
}

export interface LenientQuery<T> {
  /** The parsed query; the schema's defaults for whatever was not understood. */
  query: T;
  /** The flattened params as sent (use them only when `understood`). */
  values: Record<string, string>;
  understood: boolean;
  /** "filters": something was not understood and everything was ignored; "cursor": only the page link was stale or forged. */
  problem: "filters" | "cursor" | null;
}

/**
 * A page's query, parsed leniently: a page never fails on its URL. Anything not understood
 * (bad values, unstorable text) falls back to the schema's defaults; a cursor that is not one
 * we wrote (`isCursor`: the (time, id) cursor unless the page pages another way) falls back to
 * the first page, keeping the filters.
 */
export function lenientQuery<T extends { cursor?: string | undefined }>(
  schema: z.ZodType<T>,
  raw: SearchParams,
  isCursor: (cursor: string) => boolean = (c) => readCursor(c) !== null,
): LenientQuery<T> {
  const values = flatParams(raw);
  const parsed = findUnstorableText(values) ? null : schema.safeParse(values);
  if (!parsed?.success) return { query: schema.parse({}), values, understood: false, problem: "filters" };
  const query = parsed.data;
  if (query.cursor && !isCursor(query.cursor)) return { query: { ...query, cursor: undefined }, values, understood: true, problem: "cursor" };
  return { query, values, understood: true, problem: null };
}
