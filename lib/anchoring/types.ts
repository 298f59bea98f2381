import type { ClaimSelector } from "@/lib/annotations/selector";

/** What a contribution quoted when it was written (its TextQuoteSelector). */
export interface QuoteSelector {
  exact: string;
  prefix: string;
  suffix: string;
}

export type AnchoringMethod = "exact" | "fuzzy" | "orphaned";

/** Where a quote lands in a successor text: one of the successor paragraphs, or nowhere. */
export type AnchorResult =
  | {
      method: "exact" | "fuzzy";
      /** Which of the successor paragraphs (a split has several). */
      part: number;
      selector: ClaimSelector;
      score: number;
    }
  | { method: "orphaned"; score: number };
