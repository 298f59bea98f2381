import { selectorFor } from "@/lib/annotations/selector";
import { matchQuote } from "./match-quote";
import { normalizeText, type NormalizedText } from "./normalize-text";
import { MAX_QUOTE_ERROR_RATE, MIN_SCORE, WEIGHTS } from "./thresholds";
import type { AnchorResult, QuoteSelector } from "./types";

/** Successor paragraphs prepared once for every quote anchored in them (normalised, joined). */
export interface AnchorTarget {
  parts: readonly string[];
  norm: NormalizedText[];
  offsets: number[];
  joined: string;
}

export function anchorTarget(parts: readonly string[]): AnchorTarget {
  const norm = parts.map(normalizeText);
  const offsets: number[] = [];
  let at = 0;
  for (const n of norm) {
    offsets.push(at);
    at += n.text.length + SEPARATOR.length;
  }
  return { parts, norm, offsets, joined: norm.map((n) => n.text).join(SEPARATOR) };
}

const TOTAL_WEIGHT = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;
/** Never produced by normalizeText (white space becomes " "), so no quote can match across it. */
const SEPARATOR = "\n";

/**
 * Anchors a quote in its successor paragraph(s): one for an edited or moved paragraph, several
 * for a split, the merged one for a merge. Comparison is on normalised text (normalizeText),
 * so quote styles, dashes and white space alone never make a match fuzzy. `hint` is where the
 * quote is expected to start in the successors taken together. A match that straddles two
 * parts of a split is cut to the part holding most of it and scored again.
 *
 * Placed results always satisfy: edit distance(normalised quote, normalised placed text) ≤
 * MAX_QUOTE_ERROR_RATE × quote length, and score ≥ MIN_SCORE. Anything else is an orphan.
 */
export function anchorQuote(quote: QuoteSelector, target: AnchorTarget | readonly string[], hint?: number): AnchorResult {
  const { parts, norm, offsets, joined } = "joined" in target ? target : anchorTarget(target);
  const q = normalizeText(quote.exact).text.trim();
  if (q.length === 0 || parts.length === 0) return { method: "orphaned", score: 0 };
  // The quote is compared without its edge white space, which then belongs to its context:
  // else a quote like " books … a " never finds its prefix and suffix right beside it.
  const lead = /^\s*/.exec(quote.exact)![0];
  const trail = quote.exact.slice(lead.length).match(/\s*$/)![0];
  const m = matchQuote(joined, q, {
    prefix: normalizeText(quote.prefix + lead).text,
    suffix: normalizeText(trail + quote.suffix).text,
    hint: hint === undefined ? undefined : hint + lead.length,
  });
  if (!m) return { method: "orphaned", score: 0 };

  // The part holding most of the match; what lies outside it counts as errors.
  let part = 0;
  let bestOverlap = -1;
  for (let k = 0; k < norm.length; k++) {
    const overlap = Math.min(m.end, offsets[k]! + norm[k]!.text.length) - Math.max(m.start, offsets[k]!);
    if (overlap > bestOverlap) [part, bestOverlap] = [k, overlap];
  }
  const local = norm[part]!;
  let s = Math.max(m.start - offsets[part]!, 0);
  let e = Math.min(m.end - offsets[part]!, local.text.length);
  const clipped = m.end - m.start - (e - s);
  // Edge white space is dropped; each character cut off (here or above) may add one error.
  const width = e - s;
  while (s < e && local.text[s] === " ") s++;
  while (e > s && local.text[e - 1] === " ") e--;
  const errors = m.errors + clipped + (width - (e - s));
  const score = m.score - (WEIGHTS.quote * (errors - m.errors)) / q.length / TOTAL_WEIGHT;
  if (e <= s || errors > q.length * MAX_QUOTE_ERROR_RATE || score < MIN_SCORE) {
    return { method: "orphaned", score: Math.max(0, score) };
  }
  const text = parts[part]!;
  const selector = selectorFor(text, local.map[s]!, local.ends[e - 1]!);
  return { method: errors === 0 ? "exact" : "fuzzy", part, selector, score };
}
