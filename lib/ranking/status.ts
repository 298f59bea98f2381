import type { Thresholds } from "./config";

/** The public outcome of a scoring run for one item. */
export type RankingStatusName = "HELPFUL" | "NEEDS_MORE_RATINGS" | "RATED";

export const STATUS_LABEL: Record<RankingStatusName, string> = {
  HELPFUL: "Helpful across perspectives",
  NEEDS_MORE_RATINGS: "Needs more ratings",
  RATED: "Rated",
};

/**
 * Needs more ratings below `minRatings` ratings from raters in the fit; helpful across
 * perspectives at intercept ≥ minIntercept with |factor| < maxAbsFactor; otherwise just rated.
 */
export function statusFor(score: { intercept: number; factor: number; fitRatings: number }, t: Thresholds): RankingStatusName {
  if (score.fitRatings < t.minRatings) return "NEEDS_MORE_RATINGS";
  if (score.intercept >= t.minIntercept && Math.abs(score.factor) < t.maxAbsFactor) return "HELPFUL";
  return "RATED";
}
