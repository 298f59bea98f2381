import approxSearch from "approx-string-match";
import { MAX_QUOTE_ERROR_RATE, WEIGHTS } from "./thresholds";

export interface QuoteMatch {
  /** Offsets in the searched text. */
  start: number;
  end: number;
  /** Edit distance between the quote and text.slice(start, end). */
  errors: number;
  /** Combined score, 0–1 (quote, prefix, suffix, position). */
  score: number;
}

export interface QuoteContext {
  prefix?: string;
  suffix?: string;
  /** Where the quote is expected to start. */
  hint?: number;
}

/** Exact occurrences of `str` in `text`, else the lowest-error approximate ones. */
function search(text: string, str: string, maxErrors: number): { start: number; end: number; errors: number }[] {
  const exact: { start: number; end: number; errors: number }[] = [];
  for (let at = text.indexOf(str); at !== -1; at = text.indexOf(str, at + 1)) {
    exact.push({ start: at, end: at + str.length, errors: 0 });
  }
  if (exact.length > 0 || maxErrors < 1) return exact;
  return approxSearch(text, str, maxErrors);
}

/** 0–1: how closely the best match of `str` anywhere in `text` resembles it. */
function contextScore(text: string, str: string): number {
  if (str.length === 0 || text.length === 0) return 0;
  if (text === str) return 1;
  const [best] = search(text, str, str.length);
  return best ? 1 - best.errors / str.length : 0;
}

/**
 * The best place for `quote` in `text` (both already normalised), scored the way Hypothesis'
 * client scores it. Exact occurrences are preferred to approximate ones; between candidates of
 * equal quality the prefix, suffix and closeness to `hint` decide. Null when the quote is
 * nowhere within MAX_QUOTE_ERROR_RATE of its length.
 */
export function matchQuote(text: string, quote: string, context: QuoteContext = {}): QuoteMatch | null {
  if (quote.length === 0 || text.length === 0) return null;
  const maxErrors = Math.floor(quote.length * MAX_QUOTE_ERROR_RATE);
  const candidates = search(text, quote, maxErrors);
  const total = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;
  let best: QuoteMatch | null = null;
  for (const m of candidates) {
    const quoteScore = 1 - m.errors / quote.length;
    const prefixScore = context.prefix
      ? contextScore(text.slice(Math.max(0, m.start - context.prefix.length), m.start), context.prefix)
      : 1;
    const suffixScore = context.suffix ? contextScore(text.slice(m.end, m.end + context.suffix.length), context.suffix) : 1;
    const positionScore = context.hint === undefined ? 1 : 1 - Math.abs(m.start - context.hint) / text.length;
    const score =
      (WEIGHTS.quote * quoteScore +
        WEIGHTS.prefix * prefixScore +
        WEIGHTS.suffix * suffixScore +
        WEIGHTS.position * Math.max(0, positionScore)) /
      total;
    if (!best || score > best.score) best = { start: m.start, end: m.end, errors: m.errors, score };
  }
  return best;
}
