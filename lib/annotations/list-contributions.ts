import { getDb, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { afterCursor, decodeRankedCursor, encodeRankedCursor, keysetPage } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import type { RatingTag } from "@/lib/ranking/config";
import { readDistributions } from "@/lib/ratings/distribution";
import { contributionSelect, toDto, type ContributionDto, type ContributionRow } from "./dto";
import { replyCounts, shownSql, shownWhere, visibleSql, visibleWhere } from "./threads";

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
  /** Only top-level contributions of this kind (their replies, of any kind, still open under them). */
  kind?: "ANNOTATION" | "COUNTERPOINT" | "SOURCE";
}

/**
 * One paragraph's top-level published contributions (and the viewer's own in any status, and a
 * placeholder for a deleted or hidden one that has visible replies), keyset-paged, each with its
 * count of replies (opened with listReplies). `covering` keeps those whose claim spans that offset;
 * `kind` keeps one kind (the margin's filter).
 *
 * newest:  createdAt desc, id desc (stable while new ones arrive).
 * helpful: the stored scores of the last run (never computed here): first "helpful across
 *          perspectives" by intercept, then those that need more ratings, newest first (the
 *          fallback), then the rest by intercept, then placeholders; ties newest first.
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
  const claim: Prisma.ContributionWhereInput = { articleId: article.id, placedAnchorId: anchorId, parentId: null, ...(opts.kind ? { kind: opts.kind } : {}) };
  if (opts.covering !== undefined) {
    claim.placedStart = { lte: opts.covering };
    claim.placedEnd = { gt: opts.covering };
  }
  const where: Prisma.ContributionWhereInput = { ...claim, ...shownWhere(opts.viewerId) };
  const sort =
    opts.sort ??
    ((await db.contributionScore.findFirst({
      where: { status: { in: ["HELPFUL", "RATED"] }, contribution: { ...claim, ...visibleWhere(null) } },
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

/**
 * The "Most helpful" order of a contribution `c` joined to its stored score `s`: tier 0 helpful
 * across perspectives, 1 needs more ratings (or not published), 2 the rest, 3 a placeholder the
 * viewer cannot read (`readable` false); within a tier by intercept. A score counts only for a
 * published contribution (a hidden one keeps its row until the next run). Also the margin's teaser.
 */
export function helpfulRank(readable: Prisma.Sql): { tier: Prisma.Sql; score: Prisma.Sql } {
  return {
    tier: Prisma.sql`CASE WHEN NOT ${readable} THEN 3
             WHEN c.status <> 'PUBLISHED' OR s.status IS NULL OR s.status = 'NEEDS_MORE_RATINGS' THEN 1
             WHEN s.status = 'HELPFUL' THEN 0 ELSE 2 END`,
    score: Prisma.sql`(CASE WHEN c.status = 'PUBLISHED' AND c."deletedAt" IS NULL AND s.status IN ('HELPFUL', 'RATED') THEN s.intercept ELSE 0 END)::float8`,
  };
}

async function listByHelpfulness(db: Db, articleId: string, anchorId: string, opts: ListOpts): Promise<ContributionPage> {
  const shown = shownSql("c", opts.viewerId);
  const covering =
    opts.covering !== undefined ? Prisma.sql`AND c."placedStart" <= ${opts.covering} AND c."placedEnd" > ${opts.covering}` : Prisma.empty;
  const kind = opts.kind ? Prisma.sql`AND c.kind = ${opts.kind}::"ContributionKind"` : Prisma.empty;
  const k = opts.cursor ? decodeRankedCursor(opts.cursor) : null;
  const after = k
    ? Prisma.sql`WHERE q.tier > ${k.tier} OR (q.tier = ${k.tier} AND (q.score < ${k.score}::float8 OR (q.score = ${k.score}::float8 AND
        (q."createdAt" < ${k.at} OR (q."createdAt" = ${k.at} AND q.id < ${k.id}::uuid)))))`
    : Prisma.empty;
  const rank = helpfulRank(visibleSql("c", opts.viewerId));
  const keys = await db.$queryRaw<{ id: string; tier: number; score: number; createdAt: Date }[]>`
    SELECT q.id::text AS id, q.tier, q.score, q."createdAt" FROM (
      SELECT c.id, c."createdAt", ${rank.tier} AS tier, ${rank.score} AS score
      FROM "Contribution" c LEFT JOIN "ContributionScore" s ON s."contributionId" = c.id
      WHERE c."articleId" = ${articleId}::uuid AND c."placedAnchorId" = ${anchorId} AND c."parentId" IS NULL AND ${shown} ${covering} ${kind}
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

/** The viewer's own ratings and open reports, (where they may see them) the distributions and the reply counts: four queries per page. */
export async function withRatings(db: Db, rows: ContributionRow[], viewerId: string | null): Promise<ContributionDto[]> {
  const ids = rows.map((r) => r.id);
  const replies = await replyCounts(db, ids, viewerId);
  if (!viewerId || rows.length === 0) return rows.map((r) => toDto(r, viewerId, undefined, replies.get(r.id) ?? 0));
  const own = await db.rating.findMany({
    where: { raterId: viewerId, contributionId: { in: ids } },
    select: { contributionId: true, value: true, tags: true },
  });
  const mine = new Map(own.map((r) => [r.contributionId, { value: r.value, tags: r.tags as RatingTag[] }]));
  const flags = await db.flag.findMany({
    where: { reporterId: viewerId, contributionId: { in: ids }, status: "OPEN" },
    select: { contributionId: true },
  });
  const reported = new Set(flags.map((f) => f.contributionId));
  const visible = rows.filter((r) => mine.has(r.id) || r.authorId === viewerId).map((r) => r.id);
  const distributions = await readDistributions(db, visible);
  return rows.map((r) =>
    toDto(r, viewerId, {
      mine: mine.get(r.id) ?? null,
      distribution: distributions.get(r.id) ?? { helpful: 0, somewhat: 0, notHelpful: 0, total: 0 },
      reported: reported.has(r.id),
    }, replies.get(r.id) ?? 0),
  );
}
