import { getDb, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, decodeRankedCursor, encodeRankedCursor, keysetPage, type RankedCursor } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import type { RatingTag } from "@/lib/ranking/config";
import type { RatingValue } from "@/lib/generated/prisma/enums";
import { fromSqlRow, rowColumns, rowJoins, type SqlRow } from "./contribution-rows";
import { toDto, type ContributionDto, type ContributionRow } from "./dto";
import { ownNonPublicRepliesSql, shownSql, visibleSql } from "./threads";

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
  const claim = claimSql(opts);
  // One statement: the article, the paragraph (of any version), and — when no order was asked
  // for — whether one of the listed has enough ratings for "Most helpful" (the list-order index).
  const [meta] = await db.$queryRaw<{ articleId: string; paragraph: boolean; rated: boolean }[]>`
    SELECT a.id::text AS "articleId",
      EXISTS (SELECT 1 FROM "Paragraph" pg JOIN "ArticleVersion" v ON v.id = pg."versionId"
              WHERE v."articleId" = a.id AND pg."anchorId" = ${anchorId}) AS paragraph,
      ${opts.sort ? Prisma.sql`FALSE` : Prisma.sql`EXISTS (
        SELECT 1 FROM "ContributionScore" s JOIN "Contribution" c ON c.id = s."contributionId"
        WHERE s."articleId" = a.id AND s."listAnchorId" = ${anchorId} AND s.status IN ('HELPFUL', 'RATED')
          AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL ${claim})`} AS rated
    FROM "Article" a WHERE a.slug = ${slug}`;
  if (!meta) throw notFound("Article");
  if (!meta.paragraph) throw notFound("Paragraph");
  const sort = opts.sort ?? (meta.rated ? "helpful" : "newest");
  const list = { db, articleId: meta.articleId, anchorId, claim, viewerId: opts.viewerId };
  if (sort === "helpful") return listByHelpfulness(list, opts);

  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const rows = await pageRows(list, {
    where: Prisma.sql`${shownSql("c", opts.viewerId)} ${after ? Prisma.sql`AND (c."createdAt", c.id) < (${after.at}, ${after.id}::uuid)` : Prisma.empty}`,
    limit: opts.limit + 1,
  });
  const { page, nextCursor } = keysetPage(rows, opts.limit, (r) => [r.row.createdAt, r.row.id]);
  return { items: await withRatings(db, page.map((r) => r.row), opts.viewerId), nextCursor, sort };
}

/** The list's filters besides article and paragraph, on the contribution `c`. */
function claimSql(opts: Pick<ListOpts, "covering" | "kind">): Prisma.Sql {
  return Prisma.sql`${opts.kind ? Prisma.sql`AND c.kind = ${opts.kind}::"ContributionKind"` : Prisma.empty}
    ${opts.covering !== undefined ? Prisma.sql`AND c."placedStart" <= ${opts.covering} AND c."placedEnd" > ${opts.covering}` : Prisma.empty}`;
}

interface ListScope {
  db: Db;
  articleId: string;
  anchorId: string;
  claim: Prisma.Sql;
  viewerId: string | null;
}

type PageRow = ReturnType<typeof fromSqlRow> & { sortScore: number };

/**
 * Up to `limit` of the paragraph's top-level contributions matching `where`, newest first, read
 * on the (articleId, placedAnchorId, parentId, createdAt, id) index with everything the list shows.
 */
async function pageRows(scope: ListScope, q: { where: Prisma.Sql; limit: number }): Promise<PageRow[]> {
  const rows = await scope.db.$queryRaw<SqlRow[]>`
    SELECT ${rowColumns()}
    FROM "Contribution" c LEFT JOIN "ContributionScore" s ON s."contributionId" = c.id
    ${rowJoins}
    WHERE c."articleId" = ${scope.articleId}::uuid AND c."placedAnchorId" = ${scope.anchorId} AND c."parentId" IS NULL
      ${scope.claim} AND ${q.where}
    -- "parentId" (null throughout) first: PostgreSQL does not take IS NULL as an equality, so without it
    -- the index's (createdAt, id) order after that column goes unused and every row of the paragraph is sorted.
    ORDER BY c."parentId", c."createdAt" DESC, c.id DESC
    LIMIT ${limitSql(q.limit)}`;
  return rows.map((r) => ({ ...fromSqlRow(r), sortScore: 0 }));
}

/** Up to `limit` of the paragraph's scored ones of one status, by intercept, read on the list-order index. */
async function scoredRows(scope: ListScope, q: { status: "HELPFUL" | "RATED"; after: RankedCursor | null; limit: number }): Promise<PageRow[]> {
  const rows = await scope.db.$queryRaw<(SqlRow & { sortScore: number })[]>`
    SELECT ${rowColumns()}, s.intercept AS "sortScore"
    FROM "ContributionScore" s JOIN "Contribution" c ON c.id = s."contributionId"
    ${rowJoins}
    WHERE s."articleId" = ${scope.articleId}::uuid AND s."listAnchorId" = ${scope.anchorId} AND s.status = ${q.status}::"RankingStatus"
      AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL ${scope.claim}
      ${q.after ? Prisma.sql`AND (s.intercept, s."postedAt", s."contributionId") < (${q.after.score}::float8, ${q.after.at}, ${q.after.id}::uuid)` : Prisma.empty}
    ORDER BY s.intercept DESC, s."postedAt" DESC, s."contributionId" DESC
    LIMIT ${limitSql(q.limit)}`;
  return rows.map(({ sortScore, ...r }) => ({ ...fromSqlRow(r), sortScore: Number(sortScore) }));
}

/**
 * The "Most helpful" order of a contribution `c` joined to its stored score `s`: tier 0 helpful
 * across perspectives, 1 needs more ratings (or not published), 2 the rest, 3 a placeholder the
 * viewer cannot read (`readable` false); within a tier by intercept. A score counts only for a
 * published contribution (a hidden one keeps its row until the next run). The margin's teaser
 * (paragraph-summaries.ts) orders by it; the list reads the same order tier by tier.
 */
export function helpfulRank(readable: Prisma.Sql): { tier: Prisma.Sql; score: Prisma.Sql } {
  return {
    tier: Prisma.sql`CASE WHEN NOT ${readable} THEN 3
             WHEN c.status <> 'PUBLISHED' OR s.status IS NULL OR s.status = 'NEEDS_MORE_RATINGS' THEN 1
             WHEN s.status = 'HELPFUL' THEN 0 ELSE 2 END`,
    score: Prisma.sql`(CASE WHEN c.status = 'PUBLISHED' AND c."deletedAt" IS NULL AND s.status IN ('HELPFUL', 'RATED') THEN s.intercept ELSE 0 END)::float8`,
  };
}

/**
 * "Most helpful", one tier after the other until the page is full, each read in its order from an
 * index (so the first page of a paragraph with 100,000 contributions costs what it does with 100):
 * 0 the helpful by intercept, 1 the readable ones without a helpful-or-rated score newest first, 2 the
 * rated by intercept, 3 placeholders newest first. The order is helpfulRank's, the cursor the same.
 */
async function listByHelpfulness(scope: ListScope, opts: ListOpts): Promise<ContributionPage> {
  const k = opts.cursor ? decodeRankedCursor(opts.cursor) : null;
  const visible = visibleSql("c", opts.viewerId);
  const rows: (PageRow & { tier: number })[] = [];
  for (const tier of [0, 1, 2, 3]) {
    const limit = opts.limit + 1 - rows.length;
    if (limit <= 0) break;
    if (k && tier < k.tier) continue;
    const after = k && tier === k.tier ? k : null;
    let found: PageRow[];
    if (tier === 0 || tier === 2) {
      found = await scoredRows(scope, { status: tier === 0 ? "HELPFUL" : "RATED", after, limit });
    } else {
      // Score 0 throughout these tiers: a cursor's score decides all, none, or (at 0) by (createdAt, id).
      if (after && after.score < 0) continue;
      const past = after && after.score === 0 ? Prisma.sql`AND (c."createdAt", c.id) < (${after.at}, ${after.id}::uuid)` : Prisma.empty;
      const where =
        tier === 1
          ? Prisma.sql`${visible} AND (c.status <> 'PUBLISHED' OR s.status IS NULL OR s.status = 'NEEDS_MORE_RATINGS') ${past}`
          : Prisma.sql`NOT ${visible} AND ${shownSql("c", opts.viewerId)} ${past}`;
      found = await pageRows(scope, { where, limit });
    }
    rows.push(...found.map((r) => ({ ...r, tier })));
  }
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: await withRatings(scope.db, page.map((r) => r.row), opts.viewerId),
    nextCursor:
      rows.length > opts.limit && last ? encodeRankedCursor({ tier: last.tier, score: last.sortScore, at: last.row.createdAt, id: last.row.id }) : null,
    sort: "helpful",
  };
}

/**
 * LIMIT as a literal: PostgreSQL plans a parameter there as an unknown (a tenth of the rows) and then
 * prefers sorting the whole paragraph to walking the index — 700 ms instead of 5 at 1,000,000 rows.
 */
function limitSql(limit: number): Prisma.Sql {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`bad limit ${limit}`);
  return Prisma.raw(String(limit));
}

/**
 * The rows as the viewer sees them. A signed-out reader: nothing to read (the reply counts are stored on
 * the rows). A signed-in one: one statement for the page — their own rating and open report of each,
 * the replies only they are shown (threads.ts), and the rating distribution where they may see it
 * (they rated it, or wrote it).
 */
export async function withRatings(
  db: Db,
  rows: ContributionRow[],
  viewerId: string | null,
): Promise<ContributionDto[]> {
  if (!viewerId || rows.length === 0) return rows.map((r) => toDto(r, viewerId, undefined, r.shownReplyCount));
  const ids = rows.map((r) => r.id);
  const authored = rows.map((r) => r.authorId === viewerId);
  const found = await db.$queryRaw<ViewerRow[]>`
    WITH page AS (SELECT * FROM unnest(${ids}::uuid[], ${authored}::boolean[]) AS t(id, authored)),
    extra AS (${ownNonPublicRepliesSql(viewerId, ids)})
    SELECT p.id::text AS id, r.value::text AS "myValue", r.tags AS "myTags",
      EXISTS (SELECT 1 FROM "Flag" f WHERE f."contributionId" = p.id AND f."reporterId" = ${viewerId}::uuid AND f.status = 'OPEN') AS reported,
      COALESCE(e.n, 0)::int AS "ownReplies", d.helpful, d.somewhat, d."notHelpful"
    FROM page p
    LEFT JOIN "Rating" r ON r."contributionId" = p.id AND r."raterId" = ${viewerId}::uuid
    LEFT JOIN extra e ON e."parentId" = p.id
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE a.value = 'HELPFUL')::int AS helpful,
             count(*) FILTER (WHERE a.value = 'SOMEWHAT_HELPFUL')::int AS somewhat,
             count(*) FILTER (WHERE a.value = 'NOT_HELPFUL')::int AS "notHelpful"
      FROM "Rating" a WHERE a."contributionId" = p.id AND (r.id IS NOT NULL OR p.authored)
    ) d ON true`;
  const byId = new Map(found.map((f) => [f.id, f]));
  return rows.map((r) => {
    const f = byId.get(r.id);
    const helpful = Number(f?.helpful ?? 0);
    const somewhat = Number(f?.somewhat ?? 0);
    const notHelpful = Number(f?.notHelpful ?? 0);
    return toDto(
      r,
      viewerId,
      {
        mine: f?.myValue ? { value: f.myValue, tags: (f.myTags ?? []) as RatingTag[] } : null,
        distribution: { helpful, somewhat, notHelpful, total: helpful + somewhat + notHelpful },
        reported: f?.reported === true,
      },
      r.shownReplyCount + Number(f?.ownReplies ?? 0),
    );
  });
}

interface ViewerRow {
  id: string;
  myValue: RatingValue | null;
  myTags: string[] | null;
  reported: boolean;
  ownReplies: number;
  helpful: number;
  somewhat: number;
  notHelpful: number;
}
