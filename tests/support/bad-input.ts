import fc from "fast-check";

/**
 * Generators of bad input by class (not by known case), for the bad-input suite
 * (tests/e2e/bad-input.spec.ts): wrong types, NUL and half characters, numbers past int4 and
 * past doubles, extreme and impossible dates, forged cursors, deep nesting, 1 MB strings.
 */

const UUID = "7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const b64 = (s: string) => Buffer.from(s).toString("base64url");

/** A 1 MB string (one copy, shared: generating it per run would cost more than sending it). */
export const MEGABYTE = "x".repeat(1024 * 1024);

/** Marks where a raw, deeply nested JSON text replaces a value once the body is serialised. */
export const DEEP = "\u0001deep-nesting\u0001";
export const deepJson = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);

/** Times past what PostgreSQL's timestamptz or JavaScript can hold, impossible days, odd forms. */
export const extremeDates = [
  "-100000-01-01",
  "-100000-01-01T00:00:00.000Z",
  "+275760-09-13T00:00:00.000Z",
  "+275760-09-13T00:00:00.001Z",
  "0000-01-01",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999+14:00",
  "2026-02-30",
  "2026-13-01",
  "1969-12-31T23:59:59Z",
  "2026-11-27T25:61:61Z",
  "294277-01-01",
];

export const numericStrings = ["2147483648", "-2147483649", "9223372036854775808", "1e309", "-0", "NaN", "Infinity", "0x10", "1.5", " 7 ", "", "00000000001"];

const nulText = fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`);
const halfCharacter = fc.constantFrom("\ud800", "a\udfffb", "\udc00\ud800", "x\ud83d");
const oddText = fc.constantFrom("", " ", "\u200b", "\ufeff", "../../etc/passwd", "'; DROP TABLE \"User\"; --", "<script>alert(1)</script>", "%00", "😀".repeat(300), "\u202e");

/** Cursors we did not write: out-of-range times, non-UUID ids, garbage, other encodings. */
export const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...extremeDates).map((d) => b64(`${d}|${UUID}`)),
  fc.constantFrom("-".repeat(36), "0".repeat(36), "", "x", `${UUID}|x`).map((id) => b64(`2026-01-01T00:00:00.000Z|${id}`)),
  fc.string({ maxLength: 40 }).map(b64),
  fc.string({ maxLength: 40 }),
  nulText.map(b64),
);

/** Strings for a query value or a path segment (anything goes on the wire). */
export const badString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: nulText, weight: 3 },
  { arbitrary: halfCharacter, weight: 2 },
  { arbitrary: fc.constantFrom(...numericStrings), weight: 2 },
  { arbitrary: fc.constantFrom(...extremeDates), weight: 2 },
  { arbitrary: forgedCursor, weight: 2 },
  { arbitrary: oddText, weight: 1 },
  { arbitrary: fc.constantFrom("-".repeat(36), "00000000-0000-0000-0000-000000000000", UUID.toUpperCase(), `${UUID}\u0000`), weight: 1 },
  { arbitrary: fc.constant(MEGABYTE.slice(0, 8000)), weight: 1 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 30 }), weight: 2 },
);

/** Values for a JSON field: every class above, plus wrong types, huge numbers, deep nesting, 1 MB. */
export const badJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: badString, weight: 6 },
  { arbitrary: fc.constantFrom(null, true, false, 0, -1, -0, 0.5, 2147483648, -2147483649, 2 ** 53, 1e308, -1e308), weight: 3 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), weight: 1 },
  { arbitrary: fc.constantFrom([], {}, [null], { "\u0000": 1 }, JSON.parse('{"__proto__": {"x": 1}}') as unknown, ["\ud800"], [[[[[[1]]]]]]), weight: 2 },
  { arbitrary: fc.constant(MEGABYTE), weight: 1 },
  { arbitrary: fc.constant(DEEP), weight: 1 },
);

/** "a.b.0.c" paths to every value in a sample body (objects and arrays included). */
export function valuePaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...valuePaths(v, [...prefix, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...valuePaths(v, [...prefix, k]));
  return out;
}

/** A copy of `value` with the value at `path` replaced (or deleted when `replacement` is `undefined`). */
export function withValue(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) delete at[last];
  else at[last] = replacement;
  return copy;
}

/** Serialises a body, putting a 50,000-level nested array where DEEP is. */
export function serialise(value: unknown): string {
  return JSON.stringify(value).replaceAll(JSON.stringify(DEEP), deepJson(50_000));
}

/**
 * Percent-encodes text for a URL the way a careless client would: per UTF-16 unit, so half a
 * surrogate pair goes out as its (invalid) three UTF-8-style bytes instead of throwing.
 */
export function encodeLoosely(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** Raw percent-escapes that decode to nothing valid. */
export const badEscapes = ["%", "%zz", "%FF", "%C0%AF", "%ED%A0%80", "%00", "%2e%2e", "%u0000"];
