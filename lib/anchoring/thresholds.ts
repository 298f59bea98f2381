/**
 * The numbers behind re-anchoring, in one place (docs/decisions/0029-server-side-reanchoring.md).
 *
 * Scores follow Hypothesis' client (src/annotator/anchoring/match-quote.ts): a weighted mean of
 * the quote's similarity (50), the prefix's (20), the suffix's (20) and the closeness to the old
 * position (2, a tie-breaker), each between 0 and 1.
 */
export const WEIGHTS = { quote: 50, prefix: 20, suffix: 20, position: 2 } as const;

/** A fuzzy match may differ from the quote in at most this share of its characters (edit distance). */
export const MAX_QUOTE_ERROR_RATE = 0.4;

/** Below this combined score a contribution is orphaned rather than placed. */
export const MIN_SCORE = 0.7;

/** Paragraphs less alike than this (Dice coefficient of their words) are not the same paragraph. */
export const MIN_PARAGRAPH_SIMILARITY = 0.5;

/** A split or merge is recognised across at most this many paragraphs. */
export const MAX_SPLIT_PARTS = 4;
