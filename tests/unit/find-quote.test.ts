import { describe, expect, it } from "vitest";
import { findQuote } from "@/lib/annotations/find-quote";

const TEXT = "The Kremlin’s full-scale invasion of Ukraine sparked various forms of protest — and “voting with one’s feet.” The Kremlin noticed.";

describe("findQuote: the keyboard way to quote part of a paragraph", () => {
  it("finds typed words and quotes the paragraph's own text", () => {
    expect(findQuote(TEXT, "full-scale invasion")).toEqual({ start: 14, end: 33, exact: "full-scale invasion" });
  });

  it("ignores case, straight vs curly quotes and dash style, and surrounding spaces", () => {
    const q = findQuote(TEXT, '  "voting with ONE\'S feet."  ');
    expect(q?.exact).toBe("“voting with one’s feet.”");
    expect(TEXT.slice(q!.start, q!.end)).toBe(q!.exact);
    expect(findQuote(TEXT, "protest - and")?.exact).toBe("protest — and");
  });

  it("takes the first place the words appear", () => {
    expect(findQuote(TEXT, "The Kremlin")?.start).toBe(0);
  });

  it("returns null for words that are not there, or none", () => {
    expect(findQuote(TEXT, "invasion of Georgia")).toBeNull();
    expect(findQuote(TEXT, "   ")).toBeNull();
  });

  it("keeps offsets right around characters outside the basic plane", () => {
    const text = "😀 Exiles 🇺🇦 struggle under sanctions";
    const q = findQuote(text, "struggle under");
    expect(text.slice(q!.start, q!.end)).toBe("struggle under");
  });
});
