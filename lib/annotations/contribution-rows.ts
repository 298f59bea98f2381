import { Prisma } from "@/lib/generated/prisma/client";
import type { ContributionRow } from "./dto";

/**
 * A contribution row as the lists read it in SQL — every column of `contributionSelect` (dto.ts),
 * its author's and its parent author's names and its stored score — in one statement instead of
 * Prisma's query plus its relation queries (docs/perf.md, "Paragraph list hot path"). `fromSqlRow` gives the same
 * ContributionRow Prisma would, so toDto makes the same JSON (withRatings adds the viewer's own
 * replies to the stored reply count, as for any other row).
 *
 * The statement must name the contribution `c`, LEFT JOIN its score as `s`, and join
 * `rowJoins` (author `u`, parent `p`, parent's author `pu`).
 */
export function rowColumns(): Prisma.Sql {
  return Prisma.sql`c.id::text AS id, c.kind::text AS kind, c.status::text AS status, c.body, c."sourceUrl", c."sourceTitle",
    c.stance::text AS stance, c."sourceDomain", c."sourceDoi", c."sourceArchiveUrl", c."sourceQuote", c."anchorId",
    c."articleVersionId"::text AS "articleVersionId", c."quoteExact", c."quotePrefix", c."quoteSuffix", c."startOffset",
    c."endOffset", c."wholeParagraph", c."placedAnchorId", c."placedStart", c."placedEnd", c."placedExact", c."placedPrefix",
    c."placedSuffix", c."placedWhole", c."placedMethod"::text AS "placedMethod", c."placedScore", c."placedSince", c.version,
    c."createdAt", c."updatedAt", c."authorId"::text AS "authorId", c."moderationReason", c."editedAt", c."deletedAt",
    c."parentId"::text AS "parentId", c."rootId"::text AS "rootId", c.depth, c."shownReplyCount",
    u.name AS "authorName", pu.name AS "parentAuthorName", s.status::text AS "scoreStatus", s."scoredAt" AS "scoreScoredAt"`;
}

export const rowJoins = Prisma.sql`JOIN "User" u ON u.id = c."authorId"
    LEFT JOIN "Contribution" p ON p.id = c."parentId"
    LEFT JOIN "User" pu ON pu.id = p."authorId"`;

type Scalars = Omit<ContributionRow, "author" | "parent" | "score">;

export interface SqlRow extends Scalars {
  authorName: string;
  parentAuthorName: string | null;
  scoreStatus: NonNullable<ContributionRow["score"]>["status"] | null;
  scoreScoredAt: Date | null;
}

/** The ContributionRow of a row read with rowColumns. */
export function fromSqlRow(r: SqlRow): { row: ContributionRow } {
  const { authorName, parentAuthorName, scoreStatus, scoreScoredAt, ...scalars } = r;
  return {
    row: {
      ...scalars,
      author: { name: authorName },
      parent: scalars.parentId !== null && parentAuthorName !== null ? { author: { name: parentAuthorName } } : null,
      score: scoreStatus !== null && scoreScoredAt !== null ? { status: scoreStatus, scoredAt: scoreScoredAt } : null,
    },
  };
}
