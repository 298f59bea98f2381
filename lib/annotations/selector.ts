/**
 * A claim is a span of one paragraph's text, stored W3C-style: a TextQuoteSelector (exact
 * quote with up to 32 characters of prefix and suffix) and a TextPositionSelector (start/end
 * offsets). Offsets count UTF-16 code units, as JavaScript strings and the DOM do; exports
 * convert to code points where a format requires it (docs/decisions/0004-claim-selectors.md).
 */
import { trimBrokenSurrogates } from "@/lib/text/surrogates";

export const CONTEXT_CHARS = 32;

export interface ClaimSelector {
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

export interface SelectorInput {
  start: number;
  end: number;
  exact: string;
  prefix?: string;
  suffix?: string;
}

export type SelectorCheck = { ok: true; selector: ClaimSelector } | { ok: false; field: string; message: string };

export function selectorFor(text: string, start: number, end: number): ClaimSelector {
  return {
    start,
    end,
    exact: text.slice(start, end),
    // Up to CONTEXT_CHARS code units, never half a character (it could not be stored).
    prefix: trimBrokenSurrogates(text.slice(Math.max(0, start - CONTEXT_CHARS), start)),
    suffix: trimBrokenSurrogates(text.slice(end, end + CONTEXT_CHARS)),
  };
}

function splitsSurrogate(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Verifies that the quote really is at those offsets in the paragraph text. */
export function verifySelector(text: string, input: SelectorInput): SelectorCheck {
  const { start, end } = input;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
    return { ok: false, field: "selector.end", message: "must be greater than start" };
  }
  if (end > text.length) {
    return { ok: false, field: "selector.end", message: `is past the end of the paragraph (${text.length} characters)` };
  }
  if (splitsSurrogate(text, start)) return { ok: false, field: "selector.start", message: "splits a character" };
  if (splitsSurrogate(text, end)) return { ok: false, field: "selector.end", message: "splits a character" };
  const sel = selectorFor(text, start, end);
  if (sel.exact !== input.exact) {
    return { ok: false, field: "selector.exact", message: "does not match the paragraph text at those offsets" };
  }
  if (input.prefix !== undefined && input.prefix !== sel.prefix) {
    return { ok: false, field: "selector.prefix", message: "does not match the text before the quote" };
  }
  if (input.suffix !== undefined && input.suffix !== sel.suffix) {
    return { ok: false, field: "selector.suffix", message: "does not match the text after the quote" };
  }
  return { ok: true, selector: sel };
}
