import type { Prisma } from "@/lib/generated/prisma/client";
import type { RatingTag, RatingValueName } from "@/lib/ranking/config";
import type { RankingStatusName } from "@/lib/ranking/status";
import type { RatingDistribution } from "@/lib/ratings/distribution";
import { placementSelect } from "./placement";

/** What a client may see of a contribution: explicit fields, never an email or a hash. */
export const contributionSelect = {
  id: true,
  kind: true,
  status: true,
  body: true,
  sourceUrl: true,
  sourceTitle: true,
  stance: true,
  sourceDomain: true,
  sourceDoi: true,
  sourceArchiveUrl: true,
  sourceQuote: true,
  anchorId: true,
  articleVersionId: true,
  quoteExact: true,
  quotePrefix: true,
  quoteSuffix: true,
  startOffset: true,
  endOffset: true,
  wholeParagraph: true,
  ...placementSelect,
  version: true,
  createdAt: true,
  updatedAt: true,
  authorId: true,
  moderationReason: true,
  editedAt: true,
  deletedAt: true,
  parentId: true,
  rootId: true,
  depth: true,
  // Direct replies a signed-out reader is shown, kept by a trigger (ADR 0052); withRatings adds the viewer's own.
  shownReplyCount: true,
  author: { select: { name: true } },
  parent: { select: { author: { select: { name: true } } } },
  score: { select: { status: true, scoredAt: true } },
} satisfies Prisma.ContributionSelect;

export type ContributionRow = Prisma.ContributionGetPayload<{ select: typeof contributionSelect }>;

export interface ContributionDto {
  id: string;
  kind: ContributionRow["kind"];
  status: ContributionRow["status"];
  body: string;
  source: SourceDto | null;
  /** The paragraph it sits on in the current version (an orphan: the one it was written on). */
  anchorId: string;
  /** The version it was written on. */
  versionId: string;
  /** Its claim on the current text (an orphan: as written, on its own version). */
  selector: ClaimSelectorDto;
  /** How it sits on the current version (docs/decisions/0029, 0042): its own claim is "exact", score 1, since the version it was written on. */
  anchoring: { method: "exact" | "fuzzy" | "orphaned"; score: number; sinceVersion: number };
  /** What the author quoted, where it differs from `selector` (re-anchored onto a later version, or orphaned); else null. */
  original: (ClaimSelectorDto & { anchorId: string }) | null;
  /** The author's name and id (their public profile, /people/<id>); no id on a placeholder. */
  author: { id?: string; name: string };
  mine: boolean;
  /** Why it was hidden or rejected: shown to its author only. */
  moderationReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  /** The public outcome of the last scoring run (docs/decisions/0026-bridging-ranking.md). */
  ranking: { status: RankingStatusName; scoredAt: string | null };
  /** The viewer reported it and moderators have not decided yet (the list shows "Reported", not "Report"). */
  reportedByMe: boolean;
  /** The viewer's own rating, if any. */
  myRating: { value: RatingValueName; tags: RatingTag[] } | null;
  /** Others' ratings: only once the viewer has rated it, or to its author; otherwise null. */
  ratings: RatingDistribution | null;
  /** The contribution it answers (null on a top-level one), the thread's top-level one, and 0 / parent's + 1. */
  parentId: string | null;
  rootId: string | null;
  depth: number;
  /** The author of the contribution it answers (shown as "in reply to …" where the tree is flattened). */
  inReplyTo: { name: string } | null;
  /** Direct replies this viewer can open (set by the lists; 0 when not counted). */
  replyCount: number;
  /**
   * Set when the viewer may not read it but its replies keep it in the tree: body, source and
   * author are blanked. "deleted": removed by its author; "hidden": hidden or rejected by a
   * moderator; "pending": back in review.
   */
  placeholder: Placeholder | null;
}

export interface ClaimSelectorDto {
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  wholeParagraph: boolean;
}

/** A source link: the address and its domain, the stance, and what the author added about it. */
export interface SourceDto {
  url: string;
  domain: string | null;
  title: string | null;
  stance: string;
  doi: string | null;
  archiveUrl: string | null;
  quote: string | null;
}

type SourceRow = Pick<ContributionRow, "sourceUrl" | "sourceTitle" | "stance" | "sourceDomain" | "sourceDoi" | "sourceArchiveUrl" | "sourceQuote">;

/** The source object of a row (null when it has no link); the moderation queue shows the same. */
export function sourceOf(row: SourceRow): SourceDto | null {
  if (!row.sourceUrl) return null;
  return {
    url: row.sourceUrl,
    domain: row.sourceDomain,
    title: row.sourceTitle,
    stance: row.stance ?? "CONTEXT",
    doi: row.sourceDoi,
    archiveUrl: row.sourceArchiveUrl,
    quote: row.sourceQuote,
  };
}

export type Placeholder = "deleted" | "hidden" | "pending";

/** What the viewer has done about one contribution and may know of its ratings (read by the lists). */
export interface RatingView {
  mine: { value: RatingValueName; tags: RatingTag[] } | null;
  distribution: RatingDistribution | null;
  /** The viewer has an open report on it. */
  reported?: boolean;
}

/** Why the viewer sees only a placeholder for this row, or null if they may read it. */
export function placeholderFor(row: Pick<ContributionRow, "deletedAt" | "status" | "authorId">, viewerId: string | null): Placeholder | null {
  if (row.deletedAt) return "deleted";
  if (row.status === "PUBLISHED" || (viewerId !== null && row.authorId === viewerId)) return null;
  return row.status === "PENDING" ? "pending" : "hidden";
}

export function toDto(row: ContributionRow, viewerId: string | null, rating?: RatingView, replyCount = 0): ContributionDto {
  const placeholder = placeholderFor(row, viewerId);
  if (placeholder) return placeholderDto(row, placeholder, replyCount);
  const mine = viewerId !== null && row.authorId === viewerId;
  const scored = row.status === "PUBLISHED" ? row.score : null;
  const myRating = rating?.mine ?? null;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    body: row.body,
    source: sourceOf(row),
    ...placementOf(row),
    versionId: row.articleVersionId,
    author: { id: row.authorId, name: row.author.name },
    mine: viewerId !== null && row.authorId === viewerId,
    moderationReason: viewerId !== null && row.authorId === viewerId ? row.moderationReason : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    edited: row.editedAt !== null,
    ranking: { status: scored?.status ?? "NEEDS_MORE_RATINGS", scoredAt: scored?.scoredAt.toISOString() ?? null },
    reportedByMe: rating?.reported ?? false,
    myRating,
    ratings: myRating || mine ? (rating?.distribution ?? null) : null,
    ...threadFields(row, replyCount),
    placeholder: null,
  };
}

type PlacementRow = Pick<
  ContributionRow,
  | "anchorId" | "startOffset" | "endOffset" | "quoteExact" | "quotePrefix" | "quoteSuffix" | "wholeParagraph"
  | "placedAnchorId" | "placedStart" | "placedEnd" | "placedExact" | "placedPrefix" | "placedSuffix" | "placedWhole"
  | "placedMethod" | "placedScore" | "placedSince"
>;

const METHOD = { EXACT: "exact", FUZZY: "fuzzy", ORPHANED: "orphaned" } as const;

/** The author's claim, as written. */
function writtenSelector(row: PlacementRow): ClaimSelectorDto {
  return {
    start: row.startOffset,
    end: row.endOffset,
    exact: row.quoteExact,
    prefix: row.quotePrefix,
    suffix: row.quoteSuffix,
    wholeParagraph: row.wholeParagraph,
  };
}

/** Where it sits on the current version, how, and (when that is not the author's own claim) what they quoted. */
export function placementOf(row: PlacementRow): Pick<ContributionDto, "anchorId" | "selector" | "anchoring" | "original"> {
  const anchoring = { method: METHOD[row.placedMethod], score: row.placedScore, sinceVersion: row.placedSince };
  const written = writtenSelector(row);
  if (row.placedAnchorId === null || row.placedStart === null || row.placedEnd === null) {
    return { anchorId: row.anchorId, selector: written, anchoring, original: { ...written, anchorId: row.anchorId } };
  }
  const selector: ClaimSelectorDto = {
    start: row.placedStart,
    end: row.placedEnd,
    exact: row.placedExact ?? "",
    prefix: row.placedPrefix ?? "",
    suffix: row.placedSuffix ?? "",
    wholeParagraph: row.placedWhole,
  };
  const own =
    row.placedAnchorId === row.anchorId && selector.start === written.start && selector.end === written.end &&
    selector.exact === written.exact && row.placedMethod === "EXACT";
  return { anchorId: row.placedAnchorId, selector, anchoring, original: own ? null : { ...written, anchorId: row.anchorId } };
}

function threadFields(row: ContributionRow, replyCount: number) {
  return {
    parentId: row.parentId,
    rootId: row.rootId,
    depth: row.depth,
    inReplyTo: row.parent ? { name: row.parent.author.name } : null,
    replyCount,
  };
}

/** What stays of a contribution the viewer may not read: its place in the thread and its claim. */
function placeholderDto(row: ContributionRow, placeholder: Placeholder, replyCount: number): ContributionDto {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    body: "",
    source: null,
    ...placementOf(row),
    versionId: row.articleVersionId,
    author: { name: "" },
    mine: false,
    moderationReason: null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    edited: false,
    ranking: { status: "NEEDS_MORE_RATINGS", scoredAt: null },
    reportedByMe: false,
    myRating: null,
    ratings: null,
    ...threadFields(row, replyCount),
    placeholder,
  };
}
