import type { ClaimSelector } from "./selector";

/**
 * The columns of a contribution's current placement (docs/decisions/0042-current-placement.md):
 * where it sits on the article's current version. A new contribution sits on its own claim;
 * re-anchoring moves it when a new version is loaded (lib/anchoring/reanchor-version.ts).
 */
export interface PlacementColumns {
  placedAnchorId: string | null;
  placedStart: number | null;
  placedEnd: number | null;
  placedExact: string | null;
  placedPrefix: string | null;
  placedSuffix: string | null;
  placedWhole: boolean;
  placedMethod: "EXACT" | "FUZZY" | "ORPHANED";
  placedScore: number;
  placedSince: number;
}

/** Its own claim, on the version it is written on. */
export function ownPlacement(anchorId: string, sel: ClaimSelector, wholeParagraph: boolean, versionNumber: number): PlacementColumns {
  return {
    placedAnchorId: anchorId,
    placedStart: sel.start,
    placedEnd: sel.end,
    placedExact: sel.exact,
    placedPrefix: sel.prefix,
    placedSuffix: sel.suffix,
    placedWhole: wholeParagraph,
    placedMethod: "EXACT",
    placedScore: 1,
    placedSince: versionNumber,
  };
}

export const placementSelect = {
  placedAnchorId: true,
  placedStart: true,
  placedEnd: true,
  placedExact: true,
  placedPrefix: true,
  placedSuffix: true,
  placedWhole: true,
  placedMethod: true,
  placedScore: true,
  placedSince: true,
} as const;

/** A reply shares its thread's claim: the parent's placement, as it is now. */
export function copyPlacement(p: PlacementColumns): PlacementColumns {
  const keys = Object.keys(placementSelect) as (keyof PlacementColumns)[];
  return Object.fromEntries(keys.map((k) => [k, p[k]])) as unknown as PlacementColumns;
}
