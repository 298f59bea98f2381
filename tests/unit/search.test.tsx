import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { decodeRankCursor, encodeCursor, encodeRankCursor, readRankCursor } from "@/lib/http/cursor";
import { lenientQuery } from "@/lib/http/parse";
import { AppError } from "@/lib/http/errors";
import { MARK_END, MARK_START } from "@/lib/search/config";
import { searchPageQuerySchema, searchQuerySchema } from "@/lib/search/schemas";
import { parseHeadline } from "@/lib/search/snippet";
import { renderSnippet } from "@/lib/text/render-body";

const ID = "7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const b64 = (s: string) => Buffer.from(s).toString("base64url");

describe("parseHeadline", () => {
  it("splits a ts_headline result into plain and marked pieces, on one line", () => {
    expect(parseHeadline(`The ${MARK_START}exiles${MARK_END} were\n\n${MARK_START}running${MARK_END} … away`)).toEqual([
      { text: "The ", marked: false },
      { text: "exiles", marked: true },
      { text: " were ", marked: false },
      { text: "running", marked: true },
      { text: " … away", marked: false },
    ]);
  });

  it("joins neighbouring marked words and keeps markup as text", () => {
    expect(parseHeadline(`${MARK_START}a${MARK_END}${MARK_START}b${MARK_END} <script>x</script>`)).toEqual([
      { text: "ab", marked: true },
      { text: " <script>x</script>", marked: false },
    ]);
    expect(parseHeadline("")).toEqual([]);
  });
});

describe("renderSnippet", () => {
  it("renders marked words in <mark> and everything else as escaped text", () => {
    const html = renderToStaticMarkup(<p>{renderSnippet([{ text: "<img src=x onerror=alert(1)> ", marked: false }, { text: "exiles", marked: true }])}</p>);
    expect(html).toBe("<p>&lt;img src=x onerror=alert(1)&gt; <mark>exiles</mark></p>");
  });
});

describe("the search cursor", () => {
  it("round-trips a rank exactly as PostgreSQL prints a real", () => {
    for (const rank of ["0", "0.1", "1.5e-05", "3.4028235e+38", "12"]) {
      expect(decodeRankCursor(encodeRankCursor({ rank, id: ID }))).toEqual({ rank, id: ID });
    }
  });

  it("refuses what it did not write (422)", () => {
    for (const bad of [b64(`-1|${ID}`), b64(`NaN|${ID}`), b64(`1e39|${ID}`), b64(`0.1|x`), b64(`0.1|${ID}|x`), b64("2026-01-01T00:00:00.000Z|" + ID), "!!"]) {
      expect(readRankCursor(bad), bad).toBeNull();
      expect(() => decodeRankCursor(bad)).toThrow(AppError);
    }
  });
});

describe("search query schemas", () => {
  it("needs words for the API, not for the page; trims and collapses white space", () => {
    expect(searchQuerySchema.safeParse({}).success).toBe(false);
    expect(searchQuerySchema.safeParse({ q: " \t " }).success).toBe(false);
    expect(searchQuerySchema.parse({ q: "  russian   exiles " }).q).toBe("russian exiles");
    expect(searchPageQuerySchema.parse({})).toEqual({});
    expect(searchQuerySchema.safeParse({ q: "x", kind: "POEM" }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ q: "x".repeat(201) }).success).toBe(false);
  });
});

describe("the /search page's query", () => {
  const page = (raw: Record<string, string>) => lenientQuery(searchPageQuerySchema, raw, (c) => readRankCursor(c) !== null);

  it("keeps the words and filters and drops a cursor that is not a search cursor", () => {
    expect(page({ q: "exiles", kind: "SOURCE", cursor: encodeRankCursor({ rank: "0.1", id: ID }) })).toMatchObject({ problem: null, query: { q: "exiles", kind: "SOURCE" } });
    const stale = page({ q: "exiles", cursor: encodeCursor(new Date(), ID) });
    expect(stale.problem).toBe("cursor");
    expect(stale.query).toEqual({ q: "exiles", cursor: undefined });
  });

  it("falls back to the form for words it cannot use", () => {
    expect(page({ q: "x".repeat(201) })).toMatchObject({ understood: false, problem: "filters", query: {} });
    expect(page({ q: "a\u0000b" })).toMatchObject({ understood: false, query: {} });
  });
});
