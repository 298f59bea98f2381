/** The per-paragraph discussion summary the article page carries (shared with the browser). */
export interface KindCounts {
  ANNOTATION: number;
  COUNTERPOINT: number;
  SOURCE: number;
}

/** The contribution the paragraph's discussion opens with, as a one-line teaser. */
export interface TopItem {
  id: string;
  kind: keyof KindCounts;
  author: string;
  /** The first line of its text as plain text (or, for a source link without text, its title or domain). */
  firstLine: string;
  /** Its status in the last scoring run: why it comes first (helpful across perspectives; newest of the unscored; best of the rest). */
  ranking: "HELPFUL" | "NEEDS_MORE_RATINGS" | "RATED";
}

export interface ParagraphSummary {
  /** Visible contributions by kind, replies included. */
  counts: KindCounts;
  /** Merged spans of published claims (whole-paragraph ones excluded), for highlighting. */
  highlights: [number, number][];
  /**
   * The same ground cut wherever a claim starts or ends: [start, end, how many claims cover it].
   * Within one piece every point is covered by the same claims, so a click there lists exactly
   * the contributions on the clicked words; overlaps are shown darker.
   */
  depths: [number, number, number][];
  /** The first published top-level contribution in the order the discussion opens with, if any. */
  top: TopItem | null;
  /**
   * Published counterpoints and refuting sources on the paragraph rated helpful across
   * perspectives: the margin's disagreement marker when above 0.
   */
  contested: number;
}

export const emptyCounts = (): KindCounts => ({ ANNOTATION: 0, COUNTERPOINT: 0, SOURCE: 0 });

export const emptySummary = (): ParagraphSummary => ({ counts: emptyCounts(), highlights: [], depths: [], top: null, contested: 0 });
