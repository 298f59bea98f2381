import { getDb, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { afterCursor, decodeRankedCursor, encodeRankedCursor, keysetPage } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import type { RatingTag } from "@/lib/ranking/config";
import { readDistributions } from "@/lib/ratings/distribution";
import { contributionSelect, toDto, type ContributionDto, type ContributionRow } from "./dto";

export type ListSort = "helpful" | "newest";

export interface ContributionPage {
  items: ContributionDto[];
  nextCursor: string | null;
  /** The order used: the one asked for, or (none asked for) helpful once one of them has enough ratings. */
  sort: ListSort;
}

interface ListOpts {
  cursor?: string;
  covering?: number;
  limit: number;
  viewerId: string | null;
  sort?: ListSort;
}

/**
 * One paragraph's published contributions (and the viewer's own in any status), keyset-paged.
 * `covering` keeps those whose claim spans that character offset.
 *
 * newest:  createdAt desc, id desc (stable while new ones arrive).
 * helpful: the stored scores of the last run (never computed here): first "helpful across
 *          perspectives" by intercept, then those that need more ratings, newest first (the
 *          fallback), then the rest by intercept; ties newest first.
 */
export async function listParagraphContributions(slug: string, anchorId: string, opts: ListOpts): Promise<ContributionPage> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  const exists = await db.paragraph.findFirst({
    where: { anchorId, version: { articleId: article.id } },
    select: { id: true },
  });
  if (!exists) throw notFound("Paragraph");

  // Readers see what is published; authors also see their own in any status (labelled).
  const where: Prisma.ContributionWhereInput = {
    articleId: article.id,
    anchorId,
    deletedAt: null,
    ...(opts.viewerId ? { OR: [{ status: "PUBLISHED" }, { authorId: opts.viewerId }] } : { status: "PUBLISHED" }),
  };
  if (opts.covering !== undefined) {
    where.startOffset = { lte: opts.covering };
    where.endOffset = { gt: opts.covering };
  }
  const sort =
    opts.sort ??
    ((await db.contributionScore.findFirst({
      where: { status: { in: ["HELPFUL", "RATED"] }, contribution: { ...where, status: "PUBLISHED" } },
      select: { contributionId: true },
    }))
      ? "helpful"
      : "newest");

  if (sort === "helpful") return listByHelpfulness(db, article.id, anchorId, opts);

  const after = afterCursor(opts.cursor, "createdAt");
  if (after) where.AND = [after];
  const rows = await db.contribution.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
    select: contributionSelect,
  });
  const { page, nextCursor } = keysetPage(rows, opts.limit, (r) => [r.createdAt, r.id]);
  return { items: await withRatings(db, page, opts.viewerId), nextCursor, sort };
}

async function listByHelpfulness(db: Db, articleId: string, anchorId: string, opts: ListOpts): Promise<ContributionPage> {
  const visible = opts.viewerId
    ? Prisma.sql`(c.status = 'PUBLISHED' OR c."authorId" = ${opts.viewerId}::uuid)`
    : Prisma.sql`c.status = 'PUBLISHED'`;
  const covering =
    opts.covering !== undefined ? Prisma.sql`AND c."startOffset" <= ${opts.covering} AND c."endOffset" > ${opts.covering}` : Prisma.empty;
  const k = opts.cursor ? decodeRankedCursor(opts.cursor) : null;
  const after = k
    ? Prisma.sql`WHERE q.tier > ${k.tier} OR (q.tier = ${k.tier} AND (q.score < ${k.score}::float8 OR (q.score = ${k.score}::float8 AND
        (q."createdAt" < ${k.at} OR (q."createdAt" = ${k.at} AND q.id < ${k.id}::uuid)))))`
    : Prisma.empty;
  // A score counts only for a published contribution (a hidden one keeps its row until the next run).
  const keys = await db.$queryRaw<{ id: string; tier: number; score: number; createdAt: Date }[]>`
    SELECT q.id::text AS id, q.tier, q.score, q."createdAt" FROM (
      SELECT c.id, c."createdAt",
        CASE WHEN c.status <> 'PUBLISHED' OR s.status IS NULL OR s.status = 'NEEDS_MORE_RATINGS' THEN 1
             WHEN s.status = 'HELPFUL' THEN 0 ELSE 2 END AS tier,
        CASE WHEN c.status = 'PUBLISHED' AND s.status IN ('HELPFUL', 'RATED') THEN s.intercept ELSE 0 END::float8 AS score
      FROM "Contribution" c LEFT JOIN "ContributionScore" s ON s."contributionId" = c.id
      WHERE c."articleId" = ${articleId}::uuid AND c."anchorId" = ${anchorId} AND c."deletedAt" IS NULL AND ${visible} ${covering}
    ) q
    ${after}
    ORDER BY q.tier, q.score DESC, q."createdAt" DESC, q.id DESC
    LIMIT ${opts.limit + 1}`;
  const page = keys.slice(0, opts.limit);
  const rows = await db.contribution.findMany({ where: { id: { in: page.map((r) => r.id) } }, select: contributionSelect });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = page.map((r) => byId.get(r.id)).filter((r): r is ContributionRow => r !== undefined);
  const last = page[page.length - 1];
  return {
    items: await withRatings(db, ordered, opts.viewerId),
    nextCursor:
      keys.length > opts.limit && last
        ? encodeRankedCursor({ tier: Number(last.tier), score: Number(last.score), at: last.createdAt, id: last.id })
        : null,
    sort: "helpful",
  };
}

/** The viewer's own ratings and (where they may see them) the distributions, two queries per page. */
async function withRatings(db: Db, rows: ContributionRow[], viewerId: string | null): Promise<ContributionDto[]> {
  if (!viewerId || rows.length === 0) return rows.map((r) => toDto(r, viewerId));
  const ids = rows.map((r) => r.id);
  const own = await db.rating.findMany({
    where: { raterId: viewerId, contributionId: { in: ids } },
    select: { contributionId: true, value: true, tags: true },
  });
  const mine = new Map(own.map((r) => [r.contributionId, { value: r.value, tags: r.tags as RatingTag[] }]));
  const visible = rows.filter((r) => mine.has(r.id) || r.authorId === viewerId).map((r) => r.id);
  const distributions = await readDistributions(db, visible);
  return rows.map((r) =>
    toDto(r, viewerId, {
      mine: mine.get(r.id) ?? null,
      distribution: distributions.get(r.id) ?? { helpful: 0, somewhat: 0, notHelpful: 0, total: 0 },
    }),
  );
}
