import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { firstLineText } from "@/lib/text/render-body";
import { helpfulRank } from "./list-contributions";
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
  // Published items only, so every one is readable.
  const top = helpfulRank(Prisma.sql`TRUE`);
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
    // (list-contributions.ts), which is also the newest-first order until anything is scored.
    db.$queryRaw<{ anchorId: string; id: string; kind: keyof KindCounts; body: string; sourceTitle: string | null; sourceDomain: string | null; author: string; ranking: "HELPFUL" | "NEEDS_MORE_RATINGS" | "RATED" }[]>`
      SELECT DISTINCT ON (c."placedAnchorId") c."placedAnchorId" AS "anchorId", c.id::text AS id, c.kind::text AS kind, left(c.body, 2000) AS body,
             c."sourceTitle", c."sourceDomain", u.name AS author, COALESCE(s.status::text, 'NEEDS_MORE_RATINGS') AS ranking
      FROM "Contribution" c
      JOIN "User" u ON u.id = c."authorId"
      LEFT JOIN "ContributionScore" s ON s."contributionId" = c.id
      WHERE c."articleId" = ${articleId}::uuid AND c."parentId" IS NULL AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL
        AND c."placedAnchorId" IS NOT NULL ${only}
      ORDER BY c."placedAnchorId", ${top.tier}, ${top.score} DESC, c."createdAt" DESC, c.id DESC`,
    db.$queryRaw<{ anchorId: string; n: number }[]>`
      SELECT c."placedAnchorId" AS "anchorId", count(*)::int AS n
      FROM "Contribution" c JOIN "ContributionScore" s ON s."contributionId" = c.id
      WHERE c."articleId" = ${articleId}::uuid AND c.status = 'PUBLISHED' AND c."deletedAt" IS NULL AND s.status = 'HELPFUL'
        AND (c.kind = 'COUNTERPOINT' OR (c.kind = 'SOURCE' AND c.stance = 'REFUTES')) AND c."parentId" IS NULL
        AND c."placedAnchorId" IS NOT NULL ${only}
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
