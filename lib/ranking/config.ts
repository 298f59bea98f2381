/**
 * The published parameters of the "Most helpful" ranking (docs/decisions/0026-bridging-ranking.md,
 * shown on /ranking). One definition: the model, the scoring job, the page and the tests read these.
 */

/** What a rating is worth in the fit. */
export const RATING_VALUE = { HELPFUL: 1, SOMEWHAT_HELPFUL: 0.5, NOT_HELPFUL: 0 } as const;
export type RatingValueName = keyof typeof RATING_VALUE;
export const RATING_VALUES = Object.keys(RATING_VALUE) as RatingValueName[];

/** Optional reasons a rater may give, by which way they point. */
export const POSITIVE_TAGS = ["CITES_GOOD_SOURCES", "ADDRESSES_THE_CLAIM", "CLEAR"] as const;
export const NEGATIVE_TAGS = ["MISLEADING", "OFF_TOPIC", "ARGUMENTATIVE"] as const;
export const RATING_TAGS = [...POSITIVE_TAGS, ...NEGATIVE_TAGS] as const;
export type RatingTag = (typeof RATING_TAGS)[number];

export interface ModelParams {
  /** Penalty on every intercept (rater and item): several times the factor penalty. */
  lambdaIntercept: number;
  /** Penalty on every factor (rater and item). */
  lambdaFactor: number;
  /** Raters with fewer counting ratings than this are left out of the fit (their intercept and factor are unknowable). */
  minRaterRatings: number;
  /** Alternating-least-squares sweeps at most, and the change in any parameter that counts as converged. */
  maxIterations: number;
  tolerance: number;
  /** Seed for the initial factors: the same ratings always give the same scores. */
  seed: number;
}

export interface Thresholds {
  /** Ratings from raters in the fit an item needs before it gets any status but "needs more ratings". */
  minRatings: number;
  /** "Helpful across perspectives": intercept at least this … */
  minIntercept: number;
  /** … and a factor smaller than this in absolute value (rater factors are scaled to RMS 1). */
  maxAbsFactor: number;
}

export const MODEL_PARAMS: ModelParams = {
  lambdaIntercept: 1,
  lambdaFactor: 0.2,
  minRaterRatings: 5,
  maxIterations: 300,
  tolerance: 1e-6,
  seed: 20261202,
};

export const THRESHOLDS: Thresholds = {
  minRatings: 5,
  minIntercept: 0.3,
  maxAbsFactor: 0.25,
};

