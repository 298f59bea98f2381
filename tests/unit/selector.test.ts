import { describe, expect, it } from "vitest";
import { CONTEXT_CHARS, selectorFor, verifySelector } from "@/lib/annotations/selector";

const TEXT =
  "The Kremlin has carried out at least 19,747 detentions of anti-war protesters, often brutally, " +
  "utilizing a police force that is twice the size of America’s. The security forces also employ " +
  "state-of-the-art surveillance, allowing them to track and detain activists everywhere.";

const QUOTE = "twice the size of America’s";
const START = TEXT.indexOf(QUOTE);
const END = START + QUOTE.length;

function failure(input: Parameters<typeof verifySelector>[1], text = TEXT) {
  const r = verifySelector(text, input);
  if (r.ok) throw new Error(`expected the selector to be rejected: ${JSON.stringify(input)}`);
  return r;
}

describe("verifySelector", () => {
  it("accepts the right quote at the right offsets and fills prefix and suffix", () => {
    const r = verifySelector(TEXT, { start: START, end: END, exact: QUOTE });
    expect(r).toEqual({
      ok: true,
      selector: {
        start: START,
        end: END,
        exact: QUOTE,
        prefix: TEXT.slice(START - CONTEXT_CHARS, START),
        suffix: TEXT.slice(END, END + CONTEXT_CHARS),
      },
    });
  });

  it("accepts the right prefix and suffix when the client sends them", () => {
    const sel = selectorFor(TEXT, START, END);
    expect(verifySelector(TEXT, sel).ok).toBe(true);
  });

  it("accepts the whole paragraph", () => {
    const r = verifySelector(TEXT, { start: 0, end: TEXT.length, exact: TEXT });
    expect(r.ok && r.selector).toMatchObject({ prefix: "", suffix: "" });
  });

  it("rejects the quote shifted by one character either way", () => {
    for (const shift of [-1, 1]) {
      const r = failure({ start: START + shift, end: END + shift, exact: QUOTE });
      expect(r.field).toBe("selector.exact");
    }
  });

  it("rejects offsets one character too wide or too narrow", () => {
    for (const [s, e] of [
      [START, END + 1],
      [START, END - 1],
      [START - 1, END],
      [START + 1, END],
    ] as const) {
      expect(failure({ start: s, end: e, exact: QUOTE }).field).toBe("selector.exact");
    }
  });

  it("rejects an end past the end of the paragraph", () => {
    const r = failure({ start: TEXT.length - 5, end: TEXT.length + 1, exact: `${TEXT.slice(-5)} ` });
    expect(r.field).toBe("selector.end");
    expect(r.message).toContain(String(TEXT.length));
  });

  it("rejects start >= end, negative and non-integer offsets", () => {
    expect(failure({ start: END, end: START, exact: QUOTE }).field).toBe("selector.end");
    expect(failure({ start: START, end: START, exact: "" }).field).toBe("selector.end");
    expect(failure({ start: -1, end: 3, exact: TEXT.slice(0, 3) }).field).toMatch(/^selector\./);
    expect(failure({ start: 0.5, end: 3, exact: TEXT.slice(0, 3) }).field).toMatch(/^selector\./);
  });

  it("rejects a wrong prefix or suffix", () => {
    const sel = selectorFor(TEXT, START, END);
    expect(failure({ ...sel, prefix: `x${sel.prefix.slice(1)}` }).field).toBe("selector.prefix");
    expect(failure({ ...sel, prefix: sel.prefix.slice(1) }).field).toBe("selector.prefix");
    expect(failure({ ...sel, suffix: `${sel.suffix.slice(0, -1)}x` }).field).toBe("selector.suffix");
    expect(failure({ ...sel, suffix: `${sel.suffix} more` }).field).toBe("selector.suffix");
  });

  it("rejects a quote that is elsewhere in the paragraph, not at the offsets", () => {
    const other = "surveillance";
    expect(failure({ start: START, end: START + other.length, exact: other }).field).toBe("selector.exact");
  });

  it("rejects offsets that split a surrogate pair (an emoji or other astral character)", () => {
    const text = "Before 😀 after 𝄞 end";
    const emoji = text.indexOf("😀");
    // Inside the pair: start after the high surrogate, or end before the low one.
    expect(failure({ start: emoji + 1, end: emoji + 4, exact: text.slice(emoji + 1, emoji + 4) }, text).message).toMatch(/splits/);
    expect(failure({ start: 0, end: emoji + 1, exact: text.slice(0, emoji + 1) }, text).message).toMatch(/splits/);
    const clef = text.indexOf("𝄞");
    expect(failure({ start: clef + 1, end: text.length, exact: text.slice(clef + 1) }, text).message).toMatch(/splits/);
    // Around the pair is fine: offsets count UTF-16 code units.
    expect(verifySelector(text, { start: emoji, end: emoji + 2, exact: "😀" }).ok).toBe(true);
  });
});

describe("verifySelector error fields", () => {
  // The field tells the form which value to fix: an end offset inside a surrogate pair is
  // the end's fault, not the start's.
  it("names selector.start when the start splits a character and selector.end when the end does", () => {
    const text = "Before 😀 after";
    const emoji = text.indexOf("😀");
    expect(failure({ start: emoji + 1, end: text.length, exact: text.slice(emoji + 1) }, text).field).toBe("selector.start");
    expect(failure({ start: 0, end: emoji + 1, exact: text.slice(0, emoji + 1) }, text).field).toBe("selector.end");
  });
});

describe("selectorFor", () => {
  it("takes exactly 32 characters of prefix and suffix in the middle of a paragraph", () => {
    const sel = selectorFor(TEXT, START, END);
    expect(CONTEXT_CHARS).toBe(32);
    expect(sel.prefix).toHaveLength(32);
    expect(sel.suffix).toHaveLength(32);
    expect(`${sel.prefix}${sel.exact}${sel.suffix}`).toBe(TEXT.slice(START - 32, END + 32));
  });

  it("takes fewer at the edges of the paragraph", () => {
    const atStart = selectorFor(TEXT, 3, 10);
    expect(atStart.prefix).toBe("The");
    expect(atStart.suffix).toHaveLength(32);
    const atEnd = selectorFor(TEXT, TEXT.length - 10, TEXT.length - 1);
    expect(atEnd.suffix).toBe(".");
    expect(atEnd.prefix).toHaveLength(32);
    const first = selectorFor(TEXT, 0, 3);
    expect(first.prefix).toBe("");
  });
});
