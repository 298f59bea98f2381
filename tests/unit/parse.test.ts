import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { listQuerySchema } from "@/lib/annotations/schemas";
import { afterCursor, decodeCursor, decodeRankedCursor, encodeCursor, encodeRankedCursor, keysetPage, readCursor } from "@/lib/http/cursor";
import { AppError, fieldError, STATUS } from "@/lib/http/errors";
import { findUnstorableText, lenientQuery, MAX_JSON_BYTES, MAX_JSON_DEPTH, parseJson, parseParams, routeId, routeText } from "@/lib/http/parse";
import { logQuerySchema } from "@/lib/moderation/schemas";

/** lib/http/parse.ts and lib/http/cursor.ts: bad input is a 4xx, never a 500 (docs/decisions/0023). */

const ID = "7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const b64 = (s: string) => Buffer.from(s).toString("base64url");

async function caught(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);

describe("cursors", () => {
  it("a ranked cursor (Most helpful) reads back exactly; a forged one is a 422", () => {
    const k = { tier: 2, score: -0.123456789, at: new Date("2026-12-02T10:00:00.000Z"), id: "0f8fad5b-d9cb-469f-a165-70867728950e" };
    expect(decodeRankedCursor(encodeRankedCursor(k))).toEqual(k);
    const forged = (s: string) => Buffer.from(s).toString("base64url");
    for (const bad of ["x", forged(`4|0|${k.at.toISOString()}|${k.id}`), forged(`0|NaN|${k.at.toISOString()}|${k.id}`), forged(`0|0|-100000-01-01T00:00:00.000Z|${k.id}`), forged(`0|0|${k.at.toISOString()}|nope`)]) {
      expect(() => decodeRankedCursor(bad), bad).toThrow(expect.objectContaining({ code: "validation" }));
    }
  });

  it("round-trips what encodeCursor writes", () => {
    const at = new Date("2026-11-27T10:11:12.345Z");
    expect(decodeCursor(encodeCursor(at, ID))).toEqual({ at, id: ID });
  });

  it("refuses times PostgreSQL cannot compare, ids that are not UUIDs and anything not written by encodeCursor", async () => {
    for (const forged of [
      b64(`-100000-01-01T00:00:00.000Z|${ID}`),
      b64(`+275760-09-13T00:00:00.000Z|${ID}`),
      b64(`0000-12-31T23:59:59.999Z|${ID}`),
      b64(`2026-11-27|${ID}`), // parses as a date, but not as we write it
      b64(`2026-11-27T10:11:12.345Z|${"-".repeat(36)}`),
      b64(`2026-11-27T10:11:12.345Z|${ID}|x`),
      b64("nothing"),
      "",
    ]) {
      expect(readCursor(forged)).toBeNull();
      const err = await caught(() => decodeCursor(forged));
      expect(STATUS[err.code]).toBe(422);
      expect(err.details?.fields).toEqual([{ field: "cursor", message: "is not a valid cursor" }]);
    }
  });

  it("decodes any string without throwing anything but a 422 (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (s) => {
        const c = readCursor(s);
        if (c) expect(readCursor(encodeCursor(c.at, c.id))).toEqual(c);
      }),
      { seed: 8, numRuns: 200 },
    );
  });

  it("pages: `limit` rows and the next cursor from the last of them, or none when that was all", () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(Date.UTC(2026, 0, n)), id: ID }));
    const more = keysetPage(rows, 2, (r) => [r.at, r.id]);
    expect(more.page).toEqual(rows.slice(0, 2));
    expect(decodeCursor(more.nextCursor!)).toEqual({ at: rows[1]!.at, id: ID });
    expect(keysetPage(rows, 3, (r) => [r.at, r.id]).nextCursor).toBeNull();
  });

  it("builds the keyset condition for either order", () => {
    const at = new Date("2026-01-02T00:00:00.000Z");
    expect(afterCursor(undefined, "createdAt")).toBeUndefined();
    expect(afterCursor(encodeCursor(at, ID), "queuedAt", "asc")).toEqual({
      AND: [{ queuedAt: { gte: at } }, { OR: [{ queuedAt: { gt: at } }, { queuedAt: at, id: { gt: ID } }] }],
    });
    expect(afterCursor(encodeCursor(at, ID), "createdAt")).toEqual({
      AND: [{ createdAt: { lte: at } }, { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: ID } }] }],
    });
  });
});

describe("JSON bodies", () => {
  const schema = z.object({ a: z.unknown() });
  const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request("http://x/", { method: "POST", body, headers });

  it("refuses nesting deeper than the limit without walking it recursively (422, not a stack overflow)", async () => {
    expect(findUnstorableText(JSON.parse(nested(100_000)))?.message).toMatch(/nested too deeply/);
    const err = await caught(() => parseJson(post(`{"a":${nested(50_000)}}`), schema));
    expect(STATUS[err.code]).toBe(422);
    expect(err.details?.fields?.[0]?.message).toMatch(/nested too deeply/);
    // As deep as allowed is fine.
    await expect(parseJson(post(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`), schema)).resolves.toBeDefined();
  });

  it("refuses a body over the size limit with 413, whether or not it declares its length", async () => {
    const big = JSON.stringify({ a: "x".repeat(MAX_JSON_BYTES) });
    expect(STATUS[(await caught(() => parseJson(post(big), schema))).code]).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(chunked.headers.get("content-length")).toBeNull();
    expect(STATUS[(await caught(() => parseJson(chunked, schema))).code]).toBe(413);
  });

  it("refuses bytes that are not UTF-8 (400) instead of replacing them", async () => {
    const err = await caught(() => parseJson(post(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), schema));
    expect(STATUS[err.code]).toBe(400);
  });
});

describe("query and route params", () => {
  it("refuses NUL and half characters in any query value (422)", async () => {
    for (const bad of ["a\u0000", "\ud800"]) {
      const err = await caught(() => parseParams({ author: bad }, z.object({ author: z.string() })));
      expect(STATUS[err.code]).toBe(422);
      expect(err.details?.fields?.[0]?.field).toBe("author");
    }
  });

  it("range-checks integers against int4", async () => {
    expect(parseParams({ covering: "2147483647" }, listQuerySchema).covering).toBe(2147483647);
    const err = await caught(() => parseParams({ covering: "2147483648" }, listQuerySchema));
    expect(err.details?.fields?.[0]?.field).toBe("covering");
  });

  it("answers 404 for a route id or segment that cannot name anything", async () => {
    const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
    await expect(routeId(ctx(ID), "Thing")).resolves.toBe(ID);
    for (const bad of ["1", "\u0000", "-".repeat(36)]) expect(STATUS[(await caught(() => routeId(ctx(bad), "Thing"))).code]).toBe(404);
    expect(routeText("a-slug", "Article")).toBe("a-slug");
    for (const bad of ["", "\u0000", "\udc00", "x".repeat(201)]) {
      expect((await caught(() => routeText(bad, "Article"))).message).toBe("Article not found.");
    }
  });

  it("a page's query falls back instead of failing: defaults for what it does not understand, the first page for a forged cursor", () => {
    expect(lenientQuery(logQuerySchema, { action: "HIDE", limit: ["10", "20"] })).toMatchObject({
      query: { action: "HIDE", limit: 10 },
      problem: null,
    });
    expect(lenientQuery(logQuerySchema, { action: "NOPE" })).toMatchObject({ query: { limit: 50 }, understood: false, problem: "filters" });
    expect(lenientQuery(logQuerySchema, { actor: `${ID}\u0000` })).toMatchObject({ understood: false, problem: "filters" });
    const forged = lenientQuery(logQuerySchema, { action: "HIDE", cursor: b64(`-100000-01-01T00:00:00.000Z|${ID}`) });
    expect(forged).toMatchObject({ query: { action: "HIDE", cursor: undefined }, understood: true, problem: "cursor" });
  });
});

describe("field errors", () => {
  it("are shaped like zod's", () => {
    expect(fieldError("reason", "is required")).toMatchObject({ code: "validation", message: "reason: is required", details: { fields: [{ field: "reason", message: "is required" }] } });
    expect(fieldError("email", "is taken", { code: "conflict", summary: "Sign in instead." })).toMatchObject({ code: "conflict", message: "Sign in instead." });
  });
});
