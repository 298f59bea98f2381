import type { Tx } from "@/lib/db/client";
import type { AnchoringMethod as DbMethod, ParagraphChange } from "@/lib/generated/prisma/enums";
import { reanchorRevision, type PreviousPlacement, type RevisionParagraph } from "./reanchor-revision";
import type { AnchoringMethod } from "./types";

export interface ReanchorSummary {
  version: number;
  exact: number;
  fuzzy: number;
  orphaned: number;
}

interface PlacementRow {
  id: string;
  parentId: string | null;
  quoteExact: string;
  quotePrefix: string;
  quoteSuffix: string;
  paragraphId: string | null;
  startOffset: number | null;
  endOffset: number | null;
  method: "EXACT" | "FUZZY" | "ORPHANED";
  score: number;
  sinceVersion: number;
}

const TO_DB: Record<AnchoringMethod, DbMethod> = { exact: "EXACT", fuzzy: "FUZZY", orphaned: "ORPHANED" };
const FROM_DB: Record<DbMethod, AnchoringMethod> = { EXACT: "exact", FUZZY: "fuzzy", ORPHANED: "orphaned" };
/** Rows per INSERT statement. */
const BATCH = 5000;

/**
 * Runs inside the transaction that creates a new version of an article: aligns the previous
 * version's paragraphs with the new ones, records the lineage, and stores where every
 * contribution on the previous version now sits (lib/anchoring/reanchor-revision.ts). Either
 * the version and all of this appear together, or nothing does.
 */
export async function reanchorVersion(
  tx: Tx,
  articleId: string,
  previous: { id: string; number: number },
  next: { id: string; number: number; paragraphs: RevisionParagraph[] },
): Promise<ReanchorSummary> {
  const oldParagraphs = await tx.paragraph.findMany({
    where: { versionId: previous.id },
    orderBy: { position: "asc" },
    select: { id: true, anchorId: true, text: true },
  });
  // Every contribution as the previous version shows it: re-anchored there (a row for that
  // version), or written on it (its own selector).
  const rows = await tx.$queryRaw<PlacementRow[]>`
    SELECT c.id::text AS id, c."parentId"::text AS "parentId",
           c."quoteExact", c."quotePrefix", c."quoteSuffix",
           CASE WHEN a.id IS NULL THEN c."paragraphId" ELSE a."paragraphId" END::text AS "paragraphId",
           CASE WHEN a.id IS NULL THEN c."startOffset" ELSE a."startOffset" END AS "startOffset",
           CASE WHEN a.id IS NULL THEN c."endOffset" ELSE a."endOffset" END AS "endOffset",
           COALESCE(a.method::text, 'EXACT') AS method,
           COALESCE(a.score, 1)::float8 AS score,
           COALESCE(a."sinceVersion", ${previous.number}::int) AS "sinceVersion"
    FROM "Contribution" c
    LEFT JOIN "ContributionAnchoring" a ON a."contributionId" = c.id AND a."versionId" = ${previous.id}::uuid
    WHERE c."articleId" = ${articleId}::uuid
      AND (c."articleVersionId" = ${previous.id}::uuid OR a.id IS NOT NULL)`;
  const placements: PreviousPlacement[] = rows.map((r) => ({
    id: r.id,
    parentId: r.parentId,
    quote: { exact: r.quoteExact, prefix: r.quotePrefix, suffix: r.quoteSuffix },
    at: r.paragraphId === null ? null : { paragraphId: r.paragraphId, start: r.startOffset!, end: r.endOffset! },
    method: FROM_DB[r.method],
    score: r.score,
    sinceVersion: r.sinceVersion,
  }));

  const { lineage, anchorings } = reanchorRevision(oldParagraphs, next.paragraphs, placements, next.number);
  await tx.paragraphLineage.createMany({
    data: lineage.map((l) => ({
      fromParagraphId: l.fromParagraphId,
      toParagraphId: l.toParagraphId,
      toVersionId: next.id,
      kind: l.kind.toUpperCase() as ParagraphChange,
      similarity: l.similarity,
    })),
  });
  const textOf = new Map(next.paragraphs.map((p) => [p.id, p.text]));
  const summary: ReanchorSummary = { version: next.number, exact: 0, fuzzy: 0, orphaned: 0 };
  for (const a of anchorings) summary[a.method]++;
  // One INSERT … SELECT FROM unnest(arrays) per batch (Prisma's createMany costs ~1 s per 1,000 rows here).
  for (let i = 0; i < anchorings.length; i += BATCH) {
    const batch = anchorings.slice(i, i + BATCH);
    const col = <T>(f: (a: (typeof batch)[number]) => T): T[] => batch.map(f);
    await tx.$executeRaw`
      INSERT INTO "ContributionAnchoring" ("id", "contributionId", "versionId", "paragraphId", "anchorId",
        "startOffset", "endOffset", "quoteExact", "quotePrefix", "quoteSuffix", "wholeParagraph", "method", "score", "sinceVersion")
      SELECT gen_random_uuid(), t.c, ${next.id}::uuid, t.p, t.a, t.s, t.e, t.x, t.pre, t.suf, t.w, t.m::"AnchoringMethod", t.score, t.since
      FROM unnest(${col((a) => a.contributionId)}::uuid[], ${col((a) => a.paragraphId)}::uuid[], ${col((a) => a.anchorId)}::text[],
        ${col((a) => a.selector?.start ?? null)}::int[], ${col((a) => a.selector?.end ?? null)}::int[],
        ${col((a) => a.selector?.exact ?? null)}::text[], ${col((a) => a.selector?.prefix ?? null)}::text[],
        ${col((a) => a.selector?.suffix ?? null)}::text[],
        ${col((a) => a.selector !== null && a.selector.start === 0 && a.selector.end === textOf.get(a.paragraphId!)!.length)}::boolean[],
        ${col((a) => TO_DB[a.method])}::text[], ${col((a) => a.score)}::float8[], ${col((a) => a.sinceVersion)}::int[])
        AS t(c, p, a, s, e, x, pre, suf, w, m, score, since)`;
  }
  return summary;
}
