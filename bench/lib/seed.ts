import { randomUUID } from "node:crypto";
import { mulberry32, picker, randomBody, randomClaim, randomSource, wordStartsOf } from "./random";
import { withSql, type Db } from "@/lib/db/client";
import type { ContributionKind, ContributionStatus, RankingStatus, RatingValue, SourceStance } from "@/lib/generated/prisma/enums";

/**
 * Fills a freshly migrated database with a realistic discussion: N contributions over the
 * paragraphs of one article, from a few hundred authors. Deterministic (seeded PRNG), so two
 * runs seed the same rows. Every selector is valid: the quote is the paragraph text between
 * the offsets, with the app's own 32-character prefix/suffix (selectorFor).
 *
 * Mix: 50% annotations, 30% counterpoints, 20% source links; 15% whole-paragraph claims,
 * the rest spans of 3–25 words; 94% published, 3% pending, 2% hidden, 1% rejected, and 1%
 * soft-deleted. Paragraphs are picked with a Zipf-like skew (s = 1) over a shuffled order,
 * so a few paragraphs are hot (the hottest gets ~27% of all) and every one has some.
 *
 * The discussion, each part off unless asked for (the other benches seed top-level rows only):
 * - `replyShare`: that share of the rows are replies, on their parent's claim and placement, to
 *   an earlier published contribution of the same paragraph (a top-level one or a reply up to
 *   depth 3), picked with a Zipf-like skew over the paragraph's first 5,000, so a few threads
 *   hold thousands of replies;
 * - `ratings`: each published contribution gets 0–10 ratings (mean ≈ 1.3) from other authors,
 *   and the rated ones a stored score of one scoring run (≥ 5 ratings: 30% helpful, else rated;
 *   fewer: needs more ratings), as the ranking job would leave them; the run is dated after the
 *   ratings, so the server's ranking loop has nothing due;
 * - `orphanShare`: that share of the top-level rows were written on the previous version's
 *   paragraphs that the current version removed, and re-anchoring orphaned them (placedMethod
 *   ORPHANED, no placement). Needs an article with two versions; no ContributionAnchoring rows
 *   are written (only the research export reads them).
 * Rows are generated and inserted a batch at a time, so a million rows fit in little memory.
 */

export interface SeedOptions {
  slug: string;
  contributions: number;
  authors: number;
  batchSize?: number;
  seed?: number;
  replyShare?: number;
  ratings?: boolean;
  orphanShare?: number;
}

export interface SeedResult {
  articleId: string;
  paragraphs: { anchorId: string; count: number; published: number }[];
  published: number;
  authors: number;
  /** Replies seeded; the top-level contributions with the most direct replies (most first). */
  replies: number;
  busiestThreads: { id: string; replies: number }[];
  /** The deepest replies (a shared link to one opens its thread above it). */
  deepestReplies: { id: string; depth: number }[];
  orphans: number;
  ratings: number;
  scored: number;
  /** The author who rated the most (for a signed-in reader's requests). */
  busiestRater: string | null;
  seconds: number;
}

interface Claim {
  quoteExact: string;
  quotePrefix: string;
  quoteSuffix: string;
  startOffset: number;
  endOffset: number;
  wholeParagraph: boolean;
}

interface Row extends Claim {
  id: string;
  kind: ContributionKind;
  status: ContributionStatus;
  body: string;
  sourceUrl: string | null;
  sourceTitle: string | null;
  stance: SourceStance | null;
  versionId: string;
  paragraphId: string;
  anchorId: string;
  authorId: string;
  createdAt: Date;
  deletedAt: Date | null;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  /** The placement on the current version (null: orphaned). */
  placed: (Claim & { anchorId: string }) | null;
}

/** A contribution a later row may answer. */
interface Parent {
  id: string;
  rootId: string;
  depth: number;
  createdAt: number;
  row: Pick<Row, "versionId" | "paragraphId" | "anchorId" | "placed"> & Claim;
}

const MAX_PARENTS_PER_PARAGRAPH = 5000;
const MAX_REPLY_DEPTH = 4;

export async function seedContributions(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const rand = mulberry32(opts.seed ?? 20261127);
  const pick = picker(rand);
  const replyShare = opts.replyShare ?? 0;
  const orphanShare = opts.orphanShare ?? 0;
  const article = await db.article.findUniqueOrThrow({
    where: { slug: opts.slug },
    select: {
      id: true,
      versions: {
        orderBy: { number: "desc" },
        take: 2,
        select: { id: true, number: true, paragraphs: { orderBy: { position: "asc" }, select: { id: true, anchorId: true, text: true } } },
      },
    },
  });
  const version = article.versions[0];
  if (!version || version.paragraphs.length === 0) throw new Error(`Article ${opts.slug} has no paragraphs`);
  const paragraphs = version.paragraphs;
  const current = new Set(paragraphs.map((p) => p.anchorId));
  const removed = orphanShare > 0 ? (article.versions[1]?.paragraphs ?? []).filter((p) => !current.has(p.anchorId)) : [];
  if (orphanShare > 0 && removed.length === 0) throw new Error(`Article ${opts.slug}: orphans need a previous version with a paragraph the current one removed`);
  const previousId = article.versions[1]?.id ?? null;

  // Authors: not able to sign in (the hash is not an argon2 hash).
  const authorEmails = Array.from({ length: opts.authors }, (_, i) => `bench-${i}@bench.invalid`);
  await db.user.createMany({
    data: authorEmails.map((email, i) => ({ email, name: `Bench reader ${i}`, passwordHash: "!bench-cannot-sign-in" })),
    skipDuplicates: true,
  });
  const authorIds = (await db.user.findMany({ where: { email: { in: authorEmails } }, select: { id: true } })).map((u) => u.id);

  // Zipf-like weights over a shuffled paragraph order.
  const order = paragraphs.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const weights = new Array<number>(paragraphs.length).fill(0);
  order.forEach((p, rank) => (weights[p] = 1 / (rank + 1)));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w / total), 0);
  const pickParagraph = () => {
    const r = rand();
    const i = cumulative.findIndex((c) => r < c);
    return i === -1 ? paragraphs.length - 1 : i;
  };
  // Zipf-like (density ~ 1/x) over 0..n-1: the first few are picked far more often.
  const pickSkewed = (n: number) => Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1))) - 1);

  // Word starts per paragraph, for word-aligned spans.
  const wordStarts = paragraphs.map((p) => wordStartsOf(p.text));
  const removedWordStarts = removed.map((p) => wordStartsOf(p.text));

  const now = Date.now();
  const ninetyDays = 90 * 24 * 3600 * 1000;
  const counts = paragraphs.map(() => ({ count: 0, published: 0 }));
  const parents = paragraphs.map((): Parent[] => []);
  const directReplies = new Map<string, number>();
  const deepest: { id: string; depth: number }[] = [];
  const ratedBy = new Map<string, number>();
  let published = 0;
  let replies = 0;
  let orphans = 0;
  let ratingCount = 0;
  let scored = 0;
  const runId = randomUUID();
  const batchSize = opts.batchSize ?? 5000;

  const makeRow = (): Row => {
    const r = rand();
    const kind: ContributionKind = r < 0.5 ? "ANNOTATION" : r < 0.8 ? "COUNTERPOINT" : "SOURCE";
    const s = rand();
    const status: ContributionStatus = s < 0.94 ? "PUBLISHED" : s < 0.97 ? "PENDING" : s < 0.99 ? "HIDDEN" : "REJECTED";
    const deleted = rand() < 0.01;
    const body = randomBody(rand);
    const source = randomSource(kind === "SOURCE", rand);
    const authorId = pick(authorIds);
    const pi = pickParagraph();
    const p = paragraphs[pi]!;
    const candidates = parents[pi]!;
    let row: Row;
    if (replyShare > 0 && candidates.length > 0 && rand() < replyShare) {
      const parent = candidates[pickSkewed(candidates.length)]!;
      const createdAt = new Date(parent.createdAt + Math.floor(rand() * (now - parent.createdAt)));
      row = {
        id: randomUUID(), kind, status, body, ...source, ...parent.row, authorId, createdAt,
        deletedAt: deleted ? new Date(createdAt.getTime() + 3600_000) : null,
        parentId: parent.id, rootId: parent.rootId, depth: parent.depth + 1,
      };
      replies++;
      directReplies.set(parent.id, (directReplies.get(parent.id) ?? 0) + 1);
      if (row.depth >= 3 && status === "PUBLISHED" && !deleted && deepest.length < 24) deepest.push({ id: row.id, depth: row.depth });
    } else if (orphanShare > 0 && rand() < orphanShare) {
      const oi = Math.floor(rand() * removed.length);
      const o = removed[oi]!;
      const { whole, selector: sel } = randomClaim(o.text, removedWordStarts[oi]!, rand);
      const createdAt = new Date(now - Math.floor(rand() * ninetyDays));
      const claim = { quoteExact: sel.exact, quotePrefix: sel.prefix, quoteSuffix: sel.suffix, startOffset: sel.start, endOffset: sel.end, wholeParagraph: whole };
      orphans++;
      return {
        id: randomUUID(), kind, status, body, ...source, ...claim, versionId: previousId!, paragraphId: o.id, anchorId: o.anchorId,
        authorId, createdAt, deletedAt: deleted ? new Date(createdAt.getTime() + 3600_000) : null,
        parentId: null, rootId: null, depth: 0, placed: null,
      };
    } else {
      const { whole, selector: sel } = randomClaim(p.text, wordStarts[pi]!, rand);
      const createdAt = new Date(now - Math.floor(rand() * ninetyDays));
      const claim = { quoteExact: sel.exact, quotePrefix: sel.prefix, quoteSuffix: sel.suffix, startOffset: sel.start, endOffset: sel.end, wholeParagraph: whole };
      row = {
        id: randomUUID(), kind, status, body, ...source, ...claim, versionId: version.id, paragraphId: p.id, anchorId: p.anchorId,
        authorId, createdAt, deletedAt: deleted ? new Date(createdAt.getTime() + 3600_000) : null,
        parentId: null, rootId: null, depth: 0, placed: { ...claim, anchorId: p.anchorId },
      };
    }
    counts[pi]!.count++;
    if (status === "PUBLISHED") {
      if (!deleted) {
        counts[pi]!.published++;
        published++;
      }
      if (replyShare > 0 && row.depth < MAX_REPLY_DEPTH - 1 && candidates.length < MAX_PARENTS_PER_PARAGRAPH) {
        const claimAndPlace: Parent["row"] = {
          versionId: row.versionId, paragraphId: row.paragraphId, anchorId: row.anchorId, placed: row.placed,
          quoteExact: row.quoteExact, quotePrefix: row.quotePrefix, quoteSuffix: row.quoteSuffix,
          startOffset: row.startOffset, endOffset: row.endOffset, wholeParagraph: row.wholeParagraph,
        };
        candidates.push({ id: row.id, rootId: row.rootId ?? row.id, depth: row.depth, createdAt: row.createdAt.getTime(), row: claimAndPlace });
      }
    }
    return row;
  };

  await withSql(async (conn) => {
    // Seeded rows are a state, not news: no live events for them (the Contribution trigger, ADR 0040,
    // and the foreign-key checks are skipped for this session only; the generator keeps the keys right).
    // The default-placement trigger is skipped too, so each row carries its placement (its own claim).
    await conn.exec(`SET session_replication_role = replica`);
    if (opts.ratings) {
      await conn.query(
        `INSERT INTO "ScoringRun" (id, "startedAt", "finishedAt", trigger, "ratingsCount", "ratingsFitted", "ratersFitted",
           "ratersExcluded", "itemsScored", "helpfulCount", iterations, converged, mu, rmse, parameters)
         VALUES ($1, now(), now(), 'schedule', 0, 0, 0, 0, 0, 0, 0, true, 0, 0, '{"seeded": true}')`,
        [runId],
      );
    }
    for (let done = 0; done < opts.contributions; done += batchSize) {
      const batch = Array.from({ length: Math.min(batchSize, opts.contributions - done) }, makeRow);
      const col = <K extends keyof Row>(k: K) => batch.map((r) => r[k]);
      const placed = <K extends keyof Claim | "anchorId">(k: K) => batch.map((r) => (r.placed ? r.placed[k] : null));
      await conn.query(
        `INSERT INTO "Contribution" ("id", "kind", "status", "body", "sourceUrl", "sourceTitle", "stance",
           "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix",
           "startOffset", "endOffset", "wholeParagraph", "authorId", "createdAt", "updatedAt", "deletedAt",
           "parentId", "rootId", "depth",
           "placedAnchorId", "placedStart", "placedEnd", "placedExact", "placedPrefix", "placedSuffix", "placedWhole",
           "placedMethod", "placedScore", "placedSince")
         SELECT t.id, t.kind, t.status, t.body, t."sourceUrl", t."sourceTitle", t.stance,
           $1::uuid, t."versionId", t."paragraphId", t."anchorId", t."quoteExact", t."quotePrefix", t."quoteSuffix",
           t."startOffset", t."endOffset", t."wholeParagraph", t."authorId", t."createdAt", t."createdAt", t."deletedAt",
           t."parentId", t."rootId", t.depth,
           t."pAnchorId", t."pStart", t."pEnd", t."pExact", t."pPrefix", t."pSuffix", coalesce(t."pWhole", false),
           CASE WHEN t."pAnchorId" IS NULL THEN 'ORPHANED' ELSE 'EXACT' END::"AnchoringMethod",
           CASE WHEN t."pAnchorId" IS NULL THEN 0 ELSE 1 END, $2::int
         FROM unnest($3::uuid[], $4::"ContributionKind"[], $5::"ContributionStatus"[], $6::text[], $7::text[], $8::text[],
           $9::"SourceStance"[], $10::uuid[], $11::uuid[], $12::text[], $13::text[], $14::text[], $15::text[], $16::int[], $17::int[],
           $18::boolean[], $19::uuid[], $20::timestamptz[], $21::timestamptz[], $22::uuid[], $23::uuid[], $24::int[],
           $25::text[], $26::int[], $27::int[], $28::text[], $29::text[], $30::text[], $31::boolean[])
           AS t(id, kind, status, body, "sourceUrl", "sourceTitle", stance, "versionId", "paragraphId", "anchorId", "quoteExact",
                "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "wholeParagraph", "authorId", "createdAt", "deletedAt",
                "parentId", "rootId", depth, "pAnchorId", "pStart", "pEnd", "pExact", "pPrefix", "pSuffix", "pWhole")`,
        [
          article.id, version.number,
          col("id"), col("kind"), col("status"), col("body"), col("sourceUrl"), col("sourceTitle"), col("stance"),
          col("versionId"), col("paragraphId"), col("anchorId"), col("quoteExact"), col("quotePrefix"), col("quoteSuffix"),
          col("startOffset"), col("endOffset"), col("wholeParagraph"), col("authorId"), col("createdAt"), col("deletedAt"),
          col("parentId"), col("rootId"), col("depth"),
          placed("anchorId"), placed("startOffset"), placed("endOffset"), placed("quoteExact"), placed("quotePrefix"),
          placed("quoteSuffix"), placed("wholeParagraph"),
        ],
      );
      if (opts.ratings) {
        const ratings: { c: string; r: string; v: RatingValue; at: Date }[] = [];
        const scores: { c: string; intercept: number; factor: number; n: number; status: RankingStatus }[] = [];
        for (const row of batch) {
          if (row.status !== "PUBLISHED") continue;
          const u = rand();
          const k = u < 0.55 ? 0 : u < 0.75 ? 1 : u < 0.87 ? 2 : 3 + Math.floor(rand() * 8);
          const raters = new Set<string>();
          for (let tries = 0; raters.size < k && tries < k * 4; tries++) {
            const r = pick(authorIds);
            if (r !== row.authorId) raters.add(r);
          }
          for (const r of raters) {
            const v = rand();
            ratings.push({ c: row.id, r, v: v < 0.45 ? "HELPFUL" : v < 0.7 ? "SOMEWHAT_HELPFUL" : "NOT_HELPFUL", at: new Date(row.createdAt.getTime() + 60_000) });
            ratedBy.set(r, (ratedBy.get(r) ?? 0) + 1);
          }
          if (raters.size === 0) continue;
          const n = raters.size;
          const status: RankingStatus = n < 5 ? "NEEDS_MORE_RATINGS" : rand() < 0.3 ? "HELPFUL" : "RATED";
          scores.push({ c: row.id, intercept: status === "HELPFUL" ? 0.4 + rand() * 0.2 : rand() * 0.6 - 0.2, factor: rand() - 0.5, n, status });
        }
        if (ratings.length) {
          await conn.query(
            `INSERT INTO "Rating" (id, "contributionId", "raterId", value, "createdAt", "updatedAt")
             SELECT gen_random_uuid(), t.c, t.r, t.v, t.at, t.at FROM unnest($1::uuid[], $2::uuid[], $3::"RatingValue"[], $4::timestamptz[]) AS t(c, r, v, at)`,
            [ratings.map((x) => x.c), ratings.map((x) => x.r), ratings.map((x) => x.v), ratings.map((x) => x.at)],
          );
          ratingCount += ratings.length;
        }
        if (scores.length) {
          await conn.query(
            `INSERT INTO "ContributionScore" ("contributionId", "runId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt")
             SELECT t.c, $1::uuid, t.i, t.f, t.n, t.n, t.s, now() FROM unnest($2::uuid[], $3::float8[], $4::float8[], $5::int[], $6::"RankingStatus"[]) AS t(c, i, f, n, s)`,
            [runId, scores.map((x) => x.c), scores.map((x) => x.intercept), scores.map((x) => x.factor), scores.map((x) => x.n), scores.map((x) => x.status)],
          );
          scored += scores.length;
        }
      }
    }
    if (opts.ratings) {
      await conn.query(`UPDATE "ScoringRun" SET "ratingsCount" = $2, "itemsScored" = $3, "startedAt" = now(), "finishedAt" = now() WHERE id = $1`, [runId, ratingCount, scored]);
    }
    await conn.exec(`SET session_replication_role = DEFAULT`);
    // Fresh statistics and visibility map, as autovacuum would leave them in production.
    await conn.exec(`VACUUM ANALYZE`);
  });
  const busiestThreads = [...directReplies.entries()].sort((a, b) => b[1] - a[1]).slice(0, 24).map(([id, n]) => ({ id, replies: n }));
  const busiestRater = [...ratedBy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    articleId: article.id,
    paragraphs: paragraphs.map((p, i) => ({ anchorId: p.anchorId, ...counts[i]! })),
    published,
    authors: authorIds.length,
    replies,
    busiestThreads,
    deepestReplies: deepest,
    orphans,
    ratings: ratingCount,
    scored,
    busiestRater,
    seconds: (performance.now() - t0) / 1000,
  };
}
