/**
 * UTF-16 offsets (what the app stores) to code points (what TextPositionSelector counts), and the
 * trimming of context strings cut in the middle of a surrogate pair.
 */
import { describe, expect, it } from "vitest";
import { CONTEXT_CHARS, selectorFor } from "@/lib/annotations/selector";
import { codePointLength, codePointOffset, PARAGRAPH_SEPARATOR, quoteContext, trimBrokenSurrogates } from "@/lib/research/text-positions";

/** The reference: code points in text[0, k), as the JavaScript string iterator counts them. */
const reference = (text: string, k: number) => Array.from(text.slice(0, k)).length;

const HIGH = "\uD83D"; // first half of 😀 (U+1F600)
const LOW = "\uDE00"; // second half

describe("codePointOffset", () => {
  it("is the identity for text without astral characters", () => {
    const text = "Plain BMP text: café, naïve, 漢字, עברית, العربية, e\u0301.";
    for (let k = 0; k <= text.length; k++) expect(codePointOffset(text, k)).toBe(k);
    expect(codePointLength(text)).toBe(text.length);
    expect(codePointOffset("", 0)).toBe(0);
  });

  it("counts an astral character once", () => {
    const text = "😀 claim";
    expect(text.length).toBe(8);
    expect(codePointOffset(text, 0)).toBe(0);
    expect(codePointOffset(text, 2)).toBe(1); // after the emoji
    expect(codePointOffset(text, 3)).toBe(2); // after the space
    expect(codePointOffset(text, text.length)).toBe(7);
    expect(codePointLength(text)).toBe(7);
  });

  it("counts ZWJ sequences, flags and astral CJK by code point, not by grapheme", () => {
    const family = "👨‍👩‍👧‍👦"; // 4 people + 3 ZWJ = 7 code points, 11 UTF-16 units
    expect(family.length).toBe(11);
    expect(codePointLength(family)).toBe(7);
    const flags = "🇺🇦🇩🇪"; // 4 regional indicators
    expect(codePointLength(flags)).toBe(4);
    expect(codePointLength("𠀋𡈽x")).toBe(3);
  });

  it("agrees with the string iterator at every offset, ends included, in mixed text", () => {
    const texts = [
      "😀",
      "a😀",
      "😀a",
      "😀😀😀",
      "Emoji 😀 before, 👨‍👩‍👧‍👦 in the middle and 🇺🇦 at the end 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
      "ab😀cd𠀋ef",
      // Lone surrogates (never stored, but the function must not run off the rails).
      `${HIGH}a`,
      `a${LOW}`,
      `${LOW}${HIGH}`,
      `${HIGH}${HIGH}${LOW}`,
    ];
    for (const text of texts) {
      for (let k = 0; k <= text.length; k++) expect(codePointOffset(text, k), `${JSON.stringify(text)} @ ${k}`).toBe(reference(text, k));
      expect(codePointLength(text)).toBe(Array.from(text).length);
    }
  });

  it("agrees with the string iterator on random text with astral characters", () => {
    const alphabet = ["a", " ", "é", "😀", "𠀋", "\u200D", "🇺", "\n", "ש"];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      let text = "";
      const len = Math.floor(rand() * 30);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      for (let k = 0; k <= text.length; k++) expect(codePointOffset(text, k)).toBe(reference(text, k));
    }
  });
});

describe("trimBrokenSurrogates", () => {
  it("leaves whole text alone (same string)", () => {
    for (const s of ["", "abc", "😀", "a😀b", "👨‍👩‍👧‍👦", "🇺🇦"]) expect(trimBrokenSurrogates(s)).toBe(s);
  });

  it("drops a low surrogate left at the start by a cut", () => {
    const text = "xx😀 the claim";
    const prefix = text.slice(3); // starts with the second half of 😀
    expect(prefix.charCodeAt(0)).toBe(0xde00);
    expect(trimBrokenSurrogates(prefix)).toBe(" the claim");
  });

  it("drops a high surrogate left at the end by a cut", () => {
    const text = "the claim 😀 after";
    const suffix = text.slice(0, 11); // ends with the first half of 😀
    expect(trimBrokenSurrogates(suffix)).toBe("the claim ");
  });

  it("trims both ends at once and handles strings made only of halves", () => {
    expect(trimBrokenSurrogates(`${LOW}middle${HIGH}`)).toBe("middle");
    expect(trimBrokenSurrogates(LOW)).toBe("");
    expect(trimBrokenSurrogates(HIGH)).toBe("");
    expect(trimBrokenSurrogates(`${LOW}${HIGH}`)).toBe("");
    // Whole pairs at the edges are kept.
    expect(trimBrokenSurrogates(`${HIGH}${LOW}x${HIGH}${LOW}`)).toBe("😀x😀");
  });

  it("gives text that survives UTF-8 unchanged", () => {
    const cut = "😀😀😀".slice(1, 5);
    const trimmed = trimBrokenSurrogates(cut);
    expect(trimmed).toBe("😀");
    expect(Buffer.from(trimmed, "utf8").toString("utf8")).toBe(trimmed);
  });
});

describe("quoteContext", () => {
  it("is the app's own prefix and suffix when no character is cut", () => {
    const text = "A long enough paragraph before the claim, then the claim itself, then more text after it.";
    const start = text.indexOf("the claim itself");
    const end = start + "the claim itself".length;
    const sel = selectorFor(text, start, end);
    expect(quoteContext(text, start, end, CONTEXT_CHARS)).toEqual({ prefix: sel.prefix, suffix: sel.suffix });
  });

  it("drops the half character where the 32-unit window cuts a surrogate pair", () => {
    // 😀 sits so that the prefix window starts in its middle and the suffix window ends in the middle of 🎉.
    const before = "😀" + "x".repeat(CONTEXT_CHARS - 1);
    const after = "y".repeat(CONTEXT_CHARS - 1) + "🎉";
    const text = `${before}CLAIM${after}`;
    const start = before.length;
    const end = start + "CLAIM".length;
    const stored = selectorFor(text, start, end);
    // What the app stores: whole characters only (a half one would reach PostgreSQL as U+FFFD).
    expect(stored.prefix).toBe("x".repeat(CONTEXT_CHARS - 1));
    expect(stored.suffix).toBe("y".repeat(CONTEXT_CHARS - 1));
    // Rows stored before that fix hold the half character; UTF-8 turns it into U+FFFD.
    const old = text.slice(start - CONTEXT_CHARS, start);
    expect(Buffer.from(old, "utf8").toString("utf8").startsWith("\uFFFD")).toBe(true);
    const { prefix, suffix } = quoteContext(text, start, end, CONTEXT_CHARS);
    expect(prefix).toBe("x".repeat(CONTEXT_CHARS - 1));
    expect(suffix).toBe("y".repeat(CONTEXT_CHARS - 1));
    expect(text.slice(0, start).endsWith(prefix)).toBe(true);
    expect(text.slice(end).startsWith(suffix)).toBe(true);
  });

  it("stops at the paragraph's edges", () => {
    expect(quoteContext("😀claim😀", 2, 7, CONTEXT_CHARS)).toEqual({ prefix: "😀", suffix: "😀" });
    expect(quoteContext("claim", 0, 5, CONTEXT_CHARS)).toEqual({ prefix: "", suffix: "" });
  });
});

describe("PARAGRAPH_SEPARATOR", () => {
  it("is a blank line (two line feeds), as the data dictionary says", () => {
    expect(PARAGRAPH_SEPARATOR).toBe("\n\n");
  });
});
