import { describe, expect, it } from "vitest";
import { anchorIdFor, anchorIdsFor, normalizeParagraphText } from "@/lib/content/anchors";

const SAMPLE = "The Kremlin’s full-scale invasion of Ukraine sparked various forms of protest across Russia.";
// Computed once from the scheme `p-<first 4 words>-<first 6 hex of sha256(normalised text)>`
// and frozen here: if this changes, every stored anchor (and every link to one) breaks.
const SAMPLE_ID = "p-the-kremlins-full-scale-f42c26";

// What the HTML spec and CSS selectors accept without escaping: starts with a letter,
// then letters, digits and hyphens only (so `#id` and `[id=…]` work everywhere).
const HTML_ID = /^[A-Za-z][A-Za-z0-9-]*$/;

describe("anchorIdFor", () => {
  it("is the same for the same text, call after call", () => {
    const ids = new Set(Array.from({ length: 5 }, () => anchorIdFor(SAMPLE)));
    expect(ids.size).toBe(1);
  });

  it("has a known, fixed value for a sample paragraph", () => {
    expect(anchorIdFor(SAMPLE)).toBe(SAMPLE_ID);
  });

  it("ignores differences in white space (runs, tabs, newlines, leading/trailing)", () => {
    const messy = `  The Kremlin’s   full-scale\tinvasion of Ukraine\nsparked various forms of protest across Russia.\n`;
    expect(anchorIdFor(messy)).toBe(SAMPLE_ID);
  });

  it("ignores Unicode normalisation form (NFC and NFD give the same id)", () => {
    const nfc = "Café in Zürich, naïve résumé.";
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    expect(anchorIdFor(nfd)).toBe(anchorIdFor(nfc));
    expect(anchorIdFor(nfc)).toMatch(/^p-cafe-in-zurich-naive-[0-9a-f]{6}$/);
  });

  it("differs for different text", () => {
    expect(anchorIdFor(`${SAMPLE} More.`)).not.toBe(SAMPLE_ID);
    expect(anchorIdFor(SAMPLE.replace("Russia", "Russia!"))).not.toBe(SAMPLE_ID);
  });

  it("produces valid HTML ids, also for text without letters or in other scripts", () => {
    for (const text of [SAMPLE, "¡¿…!?", "12 000 people", "Россия и Грузия", "日本語のテキスト", "<b>\"quoted\" & 'x'</b>", "a"]) {
      const id = anchorIdFor(text);
      expect(id, text).toMatch(HTML_ID);
      expect(id.length, text).toBeLessThanOrEqual(200);
    }
  });
});

describe("normalizeParagraphText", () => {
  it("collapses white space, trims, and composes to NFC", () => {
    expect(normalizeParagraphText("  a \t b\n\nc  ")).toBe("a b c");
    expect(normalizeParagraphText("e\u0301")).toBe("\u00e9");
  });
});

describe("anchorIdsFor", () => {
  it("suffixes repeated paragraphs with -2, -3 in order of appearance", () => {
    const ids = anchorIdsFor(["Same text.", "Other text.", "Same  text.", "Same text."]);
    const base = anchorIdFor("Same text.");
    expect(ids).toEqual([base, anchorIdFor("Other text."), `${base}-2`, `${base}-3`]);
  });

  it("returns unique, valid ids for every paragraph", () => {
    const paragraphs = ["One.", "Two.", "One.", "Three.", "Two.", "One."];
    const ids = anchorIdsFor(paragraphs);
    expect(new Set(ids).size).toBe(paragraphs.length);
    for (const id of ids) expect(id).toMatch(HTML_ID);
  });

  it("gives a paragraph the same id whatever surrounds it (ids do not depend on position)", () => {
    const [a] = anchorIdsFor([SAMPLE, "x"]);
    const [, b] = anchorIdsFor(["y", SAMPLE]);
    expect(a).toBe(SAMPLE_ID);
    expect(b).toBe(SAMPLE_ID);
  });
});
