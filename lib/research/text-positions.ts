/**
 * The app stores offsets in UTF-16 code units (what JavaScript and the DOM count); the W3C Web
 * Annotation model's TextPositionSelector counts code points. These convert, and trim context
 * strings that were cut in the middle of a character (a lone surrogate cannot be written as UTF-8).
 */

import { trimBrokenSurrogates } from "@/lib/text/surrogates";

export { trimBrokenSurrogates };

const ASTRAL = /[\uD800-\uDBFF][\uDC00-\uDFFF]/;

/** Code points in text[0, utf16Offset). */
export function codePointOffset(text: string, utf16Offset: number): number {
  if (!ASTRAL.test(text)) return utf16Offset;
  let n = 0;
  for (let i = 0; i < utf16Offset; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: count it once.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff && i + 1 < utf16Offset) i++;
    }
    n++;
  }
  return n;
}

export function codePointLength(text: string): number {
  return codePointOffset(text, text.length);
}

/**
 * The TextQuoteSelector context of text[startUtf16, endUtf16): up to `units` UTF-16 code units on
 * each side, never half a character. Exports take it from the paragraph text rather than from the
 * stored copy: a stored context that was cut in the middle of a surrogate pair reached PostgreSQL
 * as U+FFFD (UTF-8 cannot carry a lone surrogate), which no longer matches the text.
 */
export function quoteContext(text: string, startUtf16: number, endUtf16: number, units: number): { prefix: string; suffix: string } {
  return {
    prefix: trimBrokenSurrogates(text.slice(Math.max(0, startUtf16 - units), startUtf16)),
    suffix: trimBrokenSurrogates(text.slice(endUtf16, endUtf16 + units)),
  };
}

/** How the export defines a version's plain text: its paragraphs, in order, joined by a blank line. */
export const PARAGRAPH_SEPARATOR = "\n\n";
