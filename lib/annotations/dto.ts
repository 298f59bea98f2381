import type { Prisma } from "@/lib/generated/prisma/client";
import type { RatingTag, RatingValueName } from "@/lib/ranking/config";
import type { RankingStatusName } from "@/lib/ranking/status";
import type { RatingDistribution } from "@/lib/ratings/distribution";

/** What a client may see of a contribution: explicit fields, never an email or a hash. */
export const contributionSelect = {
  id: true,
  kind: true,
  status: true,
  body: true,
  sourceUrl: true,
  sourceTitle: true,
  stance: true,
  anchorId: true,
  articleVersionId: true,
  quoteExact: true,
  quotePrefix: true,
  quoteSuffix: true,
  startOffset: true,
  endOffset: true,
  wholeParagraph: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  authorId: true,
  moderationReason: true,
  editedAt: true,
  author: { select: { name: true } },
  score: { select: { status: true, scoredAt: true } },
} satisfies Prisma.ContributionSelect;

export type ContributionRow = Prisma.ContributionGetPayload<{ select: typeof contributionSelect }>;

export interface ContributionDto {
  id: string;
  kind: ContributionRow["kind"];
  status: ContributionRow["status"];
  body: string;
  source: { url: string; title: string | null; stance: string } | null;
  anchorId: string;
  versionId: string;
  selector: { start: number; end: number; exact: string; prefix: string; suffix: string; wholeParagraph: boolean };
  author: { name: string };
  mine: boolean;
  /** Why it was hidden or rejected: shown to its author only. */
  moderationReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  /** The public outcome of the last scoring run (docs/decisions/0026-bridging-ranking.md). */
  ranking: { status: RankingStatusName; scoredAt: string | null };
  /** The viewer's own rating, if any. */
  myRating: { value: RatingValueName; tags: RatingTag[] } | null;
  /** Others' ratings: only once the viewer has rated it, or to its author; otherwise null. */
  ratings: RatingDistribution | null;
}

/** What the viewer may know about ratings of one contribution (read by the list). */
export interface RatingView {
  mine: { value: RatingValueName; tags: RatingTag[] } | null;
  distribution: RatingDistribution | null;
}

export function toDto(row: ContributionRow, viewerId: string | null, rating?: RatingView): ContributionDto {
  const mine = viewerId !== null && row.authorId === viewerId;
  const scored = row.status === "PUBLISHED" ? row.score : null;
  const myRating = rating?.mine ?? null;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    body: row.body,
    source: row.sourceUrl ? { url: row.sourceUrl, title: row.sourceTitle, stance: row.stance ?? "CONTEXT" } : null,
    anchorId: row.anchorId,
    versionId: row.articleVersionId,
    selector: {
      start: row.startOffset,
      end: row.endOffset,
      exact: row.quoteExact,
      prefix: row.quotePrefix,
      suffix: row.quoteSuffix,
      wholeParagraph: row.wholeParagraph,
    },
    author: { name: row.author.name },
    mine: viewerId !== null && row.authorId === viewerId,
    moderationReason: viewerId !== null && row.authorId === viewerId ? row.moderationReason : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    edited: row.editedAt !== null,
    ranking: { status: scored?.status ?? "NEEDS_MORE_RATINGS", scoredAt: scored?.scoredAt.toISOString() ?? null },
    myRating,
    ratings: myRating || mine ? (rating?.distribution ?? null) : null,
  };
}
