import type { RatingTag, RatingValueName } from "./config";

/** What readers read for the rating values and reasons (the margin and /ranking). */
export const RATING_VALUE_LABEL: Record<RatingValueName, string> = {
  HELPFUL: "Helpful",
  SOMEWHAT_HELPFUL: "Somewhat helpful",
  NOT_HELPFUL: "Not helpful",
};

export const RATING_TAG_LABEL: Record<RatingTag, string> = {
  CITES_GOOD_SOURCES: "Cites good sources",
  ADDRESSES_THE_CLAIM: "Addresses the claim",
  CLEAR: "Clear",
  MISLEADING: "Misleading",
  OFF_TOPIC: "Off-topic",
  ARGUMENTATIVE: "Argumentative",
};
