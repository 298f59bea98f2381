import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { firstLineText } from "@/lib/text/render-body";
import { emptySummary, type KindCounts, type ParagraphSummary } from "./summary";

export type { KindCounts, ParagraphSummary } from "./summary";

/**
 * What the article page carries about the discussion: per paragraph, counts by kind (replies
 * included), the merged highlighted spans, the item the discussion opens with (its first line)
 * and how many counterpoints rated helpful across perspectives stand against the claim. All are
 * computed in the database, so the page's size does not grow with the number of contributions.
 * The top item and the marker are public (published items and the stored scores only).
 */
export async function paragraphSummaries(
  articleId: string,
  viewerId: string | null = null,
  /** Only these paragraphs (the live stream's changed ones); all when null. */
  anchorIds: string[] | null = null,
): Promise<Map<string, ParagraphSummary>> {
  const db = await getDb();
  // Counts and highlights cover what this viewer may see: published, plus their own.
  const visible = viewerId ? { OR: [{ status: "PUBLISHED" as const }, { authorId: viewerId }] } : { status: "PUBLISHED" as const };
  // The live stream asks for the changed paragraphs only.
  const only = anchorIds ? Prisma.sql`AND c."placedAnchorId" = ANY(${anchorIds}::text[])` : Prisma.empty;
  const [counts, depths, tops, contested] = await Promise.all([
    db.contribution.groupBy({
      by: ["placedAnchorId", "kind"],
      where: { articleId, deletedAt: null, ...visible, placedAnchorId: anchorIds ? { in: anchorIds } : { not: null } },
      _count: { _all: true },
    }),
    // Coverage depth between consecutive boundaries (a claim's start adds one, its end removes one),
    // in one pass over the claims; the merged highlights are the runs of touching pieces.
    db.$queryRaw<{ anchorId: string; start: number; end: number; depth: number }[]>`
      SELECT "anchorId", x AS "start", nx AS "end", depth::int AS depth
      FROM (
        SELECT "anchorId", x,
               sum(delta) OVER (PARTITION BY "anchorId" ORDER BY x) AS depth,
               lead(x) OVER (PARTITION BY "anchorId" ORDER BY x) AS nx
        FROM (
          SELECT c."placedAnchorId" AS "anchorId", ev.x, sum(ev.d) AS delta
          FROM "Contribution" c
          CROSS JOIN LATERAL (VALUES (c."placedStart", 1), (c."placedEnd", -1)) AS ev(x, d)
          WHERE c."articleId" = ${articleId}::uuid AND c."deletedAt" IS NULL AND c."placedAnchorId" IS NOT NULL
            AND (c."status" = 'PUBLISHED' OR c."authorId" = ${viewerId}::uuid) AND c."placedWhole" = false ${only}
          GROUP BY c."placedAnchorId", ev.x
        ) pts
      ) run
      WHERE depth > 0 AND nx IS NOT NULL
      ORDER BY "anchorId", 2`,
    // The first of each paragraph's top-level published items in the "Most helpful" order
    // (list-contributions.ts), which is also the newest-first order until anything is scored: per
    // paragraph of the current version, the first of each tier read from the list-order indexes
    // (ADR 0050) — not a sort of every contribution of the article (3 s at 1,000,000).
    db.$queryRaw<{ anchorId: string; id: string; kind: keyof KindCounts; body: string; sourceTitle: string | null; sourceDomain: string | null; author: string; ranking: "HELPFUL" | "NEEDS_MORE_RATINGS" | "RATED" }[]>`
      SELECT pg."anchorId", t.id::text AS id, t.kind::text AS kind, left(t.body, 2000) AS body, t."sourceTitle", t."sourceDomain",
             u.name AS author, t.ranking
      FROM "Paragraph" pg
      CROSS JOIN LATERAL (
        SELECT x.* FROM (
          (SELECT c.id, c.kind, c.body, c."sourceTitle", c."sourceDomain", c."authorId", 'HELPFUL' AS ranking, 0 AS tier
           FROM "ContributionScore" s JOIN "Contribution" c ON c.id = s."contributionId"
           WHERE s."articleId" = ${articleId}::uuid AND s."listAnchorId" = pg."anchorId" AND s.status = 'HELPFUL'
             AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL
           ORDER BY s.intercept DESC, s."postedAt" DESC, s."contributionId" DESC LIMIT 1)
          UNION ALL
          (SELECT c.id, c.kind, c.body, c."sourceTitle", c."sourceDomain", c."authorId", 'NEEDS_MORE_RATINGS', 1
           FROM "Contribution" c LEFT JOIN "ContributionScore" s ON s."contributionId" = c.id
           WHERE c."articleId" = ${articleId}::uuid AND c."placedAnchorId" = pg."anchorId" AND c."parentId" IS NULL
             AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL AND (s.status IS NULL OR s.status = 'NEEDS_MORE_RATINGS')
           ORDER BY c."parentId", c."createdAt" DESC, c.id DESC LIMIT 1)
          UNION ALL
          (SELECT c.id, c.kind, c.body, c."sourceTitle", c."sourceDomain", c."authorId", 'RATED', 2
           FROM "ContributionScore" s JOIN "Contribution" c ON c.id = s."contributionId"
           WHERE s."articleId" = ${articleId}::uuid AND s."listAnchorId" = pg."anchorId" AND s.status = 'RATED'
             AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL
           ORDER BY s.intercept DESC, s."postedAt" DESC, s."contributionId" DESC LIMIT 1)
        ) x ORDER BY x.tier LIMIT 1
      ) t
      JOIN "User" u ON u.id = t."authorId"
      WHERE pg."versionId" = (SELECT v.id FROM "ArticleVersion" v WHERE v."articleId" = ${articleId}::uuid ORDER BY v.number DESC LIMIT 1)
        ${anchorIds ? Prisma.sql`AND pg."anchorId" = ANY(${anchorIds}::text[])` : Prisma.empty}`,
    // Counterpoints (and refuting sources) rated helpful, per paragraph: from the helpful score rows
    // (the list-order index), not a join of every contribution of the article with its score.
    db.$queryRaw<{ anchorId: string; n: number }[]>`
      SELECT s."listAnchorId" AS "anchorId", count(*)::int AS n
      FROM "ContributionScore" s JOIN "Contribution" c ON c.id = s."contributionId"
      WHERE s."articleId" = ${articleId}::uuid AND s."listAnchorId" IS NOT NULL AND s.status = 'HELPFUL'
        AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL
        AND (c.kind = 'COUNTERPOINT' OR (c.kind = 'SOURCE' AND c.stance = 'REFUTES'))
        ${anchorIds ? Prisma.sql`AND s."listAnchorId" = ANY(${anchorIds}::text[])` : Prisma.empty}
      GROUP BY 1`,
  ]);
  const out = new Map<string, ParagraphSummary>();
  const get = (anchorId: string) => {
    let s = out.get(anchorId);
    if (!s) out.set(anchorId, (s = emptySummary()));
    return s;
  };
  for (const c of counts) if (c.placedAnchorId) get(c.placedAnchorId).counts[c.kind] = c._count._all;
  for (const d of depths) {
    const summary = get(d.anchorId);
    summary.depths.push([d.start, d.end, Number(d.depth)]);
    const last = summary.highlights[summary.highlights.length - 1];
    if (last && last[1] === d.start) last[1] = d.end;
    else summary.highlights.push([d.start, d.end]);
  }
  for (const t of tops) {
    get(t.anchorId).top = {
      id: t.id,
      kind: t.kind,
      author: t.author,
      firstLine: firstLineText(t.body) || t.sourceTitle || t.sourceDomain || "",
      ranking: t.ranking,
    };
  }
  for (const c of contested) get(c.anchorId).contested = Number(c.n);
  return out;
}

/** Summaries keyed by anchor id for an article slug (404 if unknown). */
export async function articleSummaries(slug: string, viewerId: string | null = null): Promise<Record<string, ParagraphSummary>> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  return Object.fromEntries(await paragraphSummaries(article.id, viewerId));
}
