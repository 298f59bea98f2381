/** The per-paragraph discussion summary the article page carries (shared with the browser). */
export interface KindCounts {
  ANNOTATION: number;
  COUNTERPOINT: number;
  SOURCE: number;
}

export interface ParagraphSummary {
  counts: KindCounts;
  /** Merged spans of published claims (whole-paragraph ones excluded), for highlighting. */
  highlights: [number, number][];
}

export const emptyCounts = (): KindCounts => ({ ANNOTATION: 0, COUNTERPOINT: 0, SOURCE: 0 });
