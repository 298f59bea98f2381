import type { Tx } from "@/lib/db/client";
import type { AnchoringMethod as DbMethod, ParagraphChange } from "@/lib/generated/prisma/enums";
import { publishStopwatch } from "./publish-steps";
import { prepareRevision, type PreviousPlacement, type Reanchoring, type RevisionParagraph } from "./reanchor-revision";
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
/** Contributions per statement (anchorings stored and placements moved). */
const BATCH = 2000;

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
  const watch = publishStopwatch();
  const oldParagraphs = await tx.paragraph.findMany({
    where: { versionId: previous.id },
    orderBy: { position: "asc" },
    select: { id: true, anchorId: true, text: true },
  });
  // Every contribution of the article as the previous (the current) version shows it: its current
  // placement, kept on the contribution itself (ADR 0042), replies and orphans included.
  const rows = await tx.$queryRaw<PlacementRow[]>`
    SELECT c.id::text AS id, c."parentId"::text AS "parentId",
           c."quoteExact", c."quotePrefix", c."quoteSuffix",
           p.id::text AS "paragraphId", c."placedStart" AS "startOffset", c."placedEnd" AS "endOffset",
           c."placedMethod"::text AS method, c."placedScore"::float8 AS score, c."placedSince" AS "sinceVersion"
    FROM "Contribution" c
    LEFT JOIN "Paragraph" p ON p."versionId" = ${previous.id}::uuid AND p."anchorId" = c."placedAnchorId"
    WHERE c."articleId" = ${articleId}::uuid`;
  watch.lap("read placements");
  const placements: PreviousPlacement[] = rows.map((r) => ({
    id: r.id,
    parentId: r.parentId,
    quote: { exact: r.quoteExact, prefix: r.quotePrefix, suffix: r.quoteSuffix },
    at: r.paragraphId === null || r.startOffset === null ? null : { paragraphId: r.paragraphId, start: r.startOffset!, end: r.endOffset! },
    method: FROM_DB[r.method],
    score: r.score,
    sinceVersion: r.sinceVersion,
  }));

  const revision = prepareRevision(oldParagraphs, next.paragraphs, placements, next.number);
  const { lineage } = revision;
  watch.lap("alignment and threads");
  await tx.paragraphLineage.createMany({
    data: lineage.map((l) => ({
      fromParagraphId: l.fromParagraphId,
      toParagraphId: l.toParagraphId,
      toVersionId: next.id,
      kind: l.kind.toUpperCase() as ParagraphChange,
      similarity: l.similarity,
    })),
  });
  watch.lap("lineage");
  // Who followed a paragraph follows what it became (an edit, a move, each part of a split, a merge).
  await tx.$executeRaw`
    INSERT INTO "Follow" ("id", "userId", "articleId", "target", "createdAt")
    SELECT gen_random_uuid(), f."userId", f."articleId", 'paragraph:' || np."anchorId", f."createdAt"
    FROM "ParagraphLineage" l
    JOIN "Paragraph" op ON op.id = l."fromParagraphId"
    JOIN "Paragraph" np ON np.id = l."toParagraphId"
    JOIN "Follow" f ON f."articleId" = ${articleId}::uuid AND f.target = 'paragraph:' || op."anchorId"
    WHERE l."toVersionId" = ${next.id}::uuid AND np."anchorId" <> op."anchorId"
    ON CONFLICT DO NOTHING`;
  watch.lap("follows copy");
  const textOf = new Map(next.paragraphs.map((p) => [p.id, p.text]));
  const summary: ReanchorSummary = { version: next.number, exact: 0, fuzzy: 0, orphaned: 0 };
  // Per batch, one statement both stores the anchorings (INSERT … SELECT from one JSON parameter:
  // Prisma's createMany cost ~1 s per 1,000 rows here, twelve array parameters half as much again as
  // one JSON text) and moves the current placement with the version (the UPDATE reads the same rows,
  // not those just inserted). Only rows whose placement changed are rewritten: most contributions sit
  // on unchanged paragraphs. A placement change writes no live event (the trigger's WHEN clause skips
  // it). Pipelined: while PostgreSQL runs one batch, the engine anchors the next (one statement in
  // flight). docs/decisions/0049-reanchoring-writes.md.
  let inFlight: Promise<unknown> | null = null;
  try {
    for (let i = 0; i < placements.length; i += BATCH) {
      const json = watch.measure("engine (overlapped with writing)", () => {
        const batch = placements.slice(i, i + BATCH).map(revision.anchor);
        for (const a of batch) summary[a.method]++;
        return JSON.stringify(batch.map((a) => anchoringRow(a, textOf)));
      });
      await inFlight;
      inFlight = writeBatch(tx, next.id, json);
      // Let the statement go out before the engine takes the thread again.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await inFlight;
  } finally {
    // On an error, never leave the statement in flight unobserved (the transaction rolls back anyway).
    await inFlight?.catch(() => undefined);
  }
  watch.flush();
  watch.lap("anchorings and placements");
  return summary;
}

/** One ContributionAnchoring row as the JSON the statement below reads (json_to_recordset). */
function anchoringRow(a: Reanchoring, textOf: ReadonlyMap<string, string>) {
  return {
    c: a.contributionId,
    p: a.paragraphId,
    a: a.anchorId,
    s: a.selector?.start ?? null,
    e: a.selector?.end ?? null,
    x: a.selector?.exact ?? null,
    pre: a.selector?.prefix ?? null,
    suf: a.selector?.suffix ?? null,
    w: a.selector !== null && a.selector.start === 0 && a.selector.end === textOf.get(a.paragraphId!)!.length,
    m: TO_DB[a.method],
    score: a.score,
    since: a.sinceVersion,
  };
}

/**
 * Stores a batch of anchorings on `versionId` and moves those contributions' current placement, in
 * one statement. Started at once (a Prisma query runs only when awaited or then'd).
 */
function writeBatch(tx: Tx, versionId: string, json: string): Promise<number> {
  return tx.$executeRaw`
    WITH t AS (
      SELECT * FROM json_to_recordset(${json}::json)
        AS t(c uuid, p uuid, a text, s int, e int, x text, pre text, suf text, w boolean, m "AnchoringMethod", score float8, since int)
    ), stored AS (
      INSERT INTO "ContributionAnchoring" ("id", "contributionId", "versionId", "paragraphId", "anchorId",
        "startOffset", "endOffset", "quoteExact", "quotePrefix", "quoteSuffix", "wholeParagraph", "method", "score", "sinceVersion")
      SELECT gen_random_uuid(), t.c, ${versionId}::uuid, t.p, t.a, t.s, t.e, t.x, t.pre, t.suf, t.w, t.m, t.score, t.since FROM t
    )
    UPDATE "Contribution" c
    SET "placedAnchorId" = t.a, "placedStart" = t.s, "placedEnd" = t.e, "placedExact" = t.x, "placedPrefix" = t.pre,
        "placedSuffix" = t.suf, "placedWhole" = t.w, "placedMethod" = t.m, "placedScore" = t.score, "placedSince" = t.since
    FROM t
    WHERE c.id = t.c
      AND (c."placedAnchorId", c."placedStart", c."placedEnd", c."placedExact", c."placedPrefix", c."placedSuffix",
           c."placedWhole", c."placedMethod", c."placedScore", c."placedSince")
          IS DISTINCT FROM (t.a, t.s, t.e, t.x, t.pre, t.suf, t.w, t.m, t.score, t.since)`.then((n) => n);
}
