import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { emptyCounts, type ParagraphSummary } from "./summary";

export type { KindCounts, ParagraphSummary } from "./summary";

/**
 * What the article page carries about the discussion: per paragraph, counts by kind and
 * the merged highlighted spans. Both are computed in the database, so the page's size does
 * not grow with the number of contributions.
 */
export async function paragraphSummaries(articleId: string, viewerId: string | null = null): Promise<Map<string, ParagraphSummary>> {
  const db = await getDb();
  // Counts and highlights cover what this viewer may see: published, plus their own.
  const visible = viewerId ? { OR: [{ status: "PUBLISHED" as const }, { authorId: viewerId }] } : { status: "PUBLISHED" as const };
  const [counts, spans] = await Promise.all([
    db.contribution.groupBy({
      by: ["anchorId", "kind"],
      where: { articleId, deletedAt: null, ...visible },
      _count: { _all: true },
    }),
    db.$queryRaw<{ anchorId: string; start: number; end: number }[]>`
      SELECT "anchorId", min(s)::int AS "start", max(e)::int AS "end"
      FROM (
        SELECT "anchorId", s, e,
               sum(CASE WHEN s <= prev_end THEN 0 ELSE 1 END) OVER (PARTITION BY "anchorId" ORDER BY s, e) AS grp
        FROM (
          SELECT "anchorId", "startOffset" AS s, "endOffset" AS e,
                 max("endOffset") OVER (PARTITION BY "anchorId" ORDER BY "startOffset", "endOffset"
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
          FROM "Contribution"
          WHERE "articleId" = ${articleId}::uuid AND "deletedAt" IS NULL
            AND ("status" = 'PUBLISHED' OR "authorId" = ${viewerId}::uuid)
            AND "wholeParagraph" = false
        ) spans
      ) grouped
      GROUP BY "anchorId", grp
      ORDER BY "anchorId", 2`,
  ]);
  const out = new Map<string, ParagraphSummary>();
  const get = (anchorId: string) => {
    let s = out.get(anchorId);
    if (!s) out.set(anchorId, (s = { counts: emptyCounts(), highlights: [] }));
    return s;
  };
  for (const c of counts) get(c.anchorId).counts[c.kind] = c._count._all;
  for (const h of spans) get(h.anchorId).highlights.push([h.start, h.end]);
  return out;
}

/** Summaries keyed by anchor id for an article slug (404 if unknown). */
export async function articleSummaries(slug: string, viewerId: string | null = null): Promise<Record<string, ParagraphSummary>> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  return Object.fromEntries(await paragraphSummaries(article.id, viewerId));
}
