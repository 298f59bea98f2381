import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listParagraphContributions, type ContributionPage, type ListSort } from "@/lib/annotations/list-contributions";
import { selectorFor } from "@/lib/annotations/selector";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { encodeRankedCursor } from "@/lib/http/cursor";
import { longParagraph, testData, type LoadedArticle } from "./support/fixtures";

/**
 * The paragraph list's order, as documented (list-contributions.ts, threads.ts, dto.ts), against a
 * reference model written here from the spec, on random data inserted with plain SQL (exact time
 * ties, every status, deleted rows, replies that make placeholders, scores on rows that are not
 * published, scores written with and without the list-key columns, a contribution moved to another
 * paragraph), paged through with random page sizes.
 */

type Status = "PUBLISHED" | "PENDING" | "HIDDEN" | "REJECTED";
type ScoreStatus = "NEEDS_MORE_RATINGS" | "RATED" | "HELPFUL";
type Kind = "ANNOTATION" | "COUNTERPOINT" | "SOURCE";

interface Score {
  status: ScoreStatus;
  intercept: number;
  /** Written as the scoring job does (with articleId, listAnchorId, postedAt) or without them (the trigger fills them). */
  viaJob: boolean;
}

interface Row {
  id: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  /** Index of the paragraph it sits on (placedAnchorId), now. */
  paragraph: number;
  kind: Kind;
  status: Status;
  deleted: boolean;
  authorId: string;
  createdAt: Date;
  start: number;
  end: number;
  score: Score | null;
}

interface Filter {
  kind?: Kind;
  covering?: number;
}

// The integration project has no global fast-check seed (tests/setup/fast-check.ts is the unit
// project's): the same rule here, so a red run reproduces.
const seedEnv = process.env.FAST_CHECK_SEED;
const seed = seedEnv === "random" ? undefined : seedEnv ? Number(seedEnv) : 20261202;

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const PUBLISHED_WEIGHT = 4;

let db: Db;
let data: ReturnType<typeof testData>;
let article: LoadedArticle;
let versionNumber: number;
let runId: string;
let alice: CurrentUser;
let bob: CurrentUser;
let carol: CurrentUser;

beforeAll(async () => {
  db = await getDb();
  data = testData(db);
  article = await data.article([longParagraph(), longParagraph(), longParagraph()]);
  versionNumber = (await db.articleVersion.findUniqueOrThrow({ where: { id: article.versionId }, select: { number: true } })).number;
  alice = await data.user({ name: "Alice" });
  bob = await data.user({ name: "Bob" });
  carol = await data.user({ name: "Carol" });
  const now = new Date();
  runId = (
    await db.scoringRun.create({
      data: {
        startedAt: now,
        finishedAt: now,
        trigger: "operator",
        ratingsCount: 0,
        ratingsFitted: 0,
        ratersFitted: 0,
        ratersExcluded: 0,
        itemsScored: 0,
        helpfulCount: 0,
        iterations: 1,
        converged: true,
        mu: 0,
        rmse: 0,
        parameters: {},
      },
      select: { id: true },
    })
  ).id;
});

afterAll(async () => {
  await data?.cleanup();
  if (runId) await db.scoringRun.delete({ where: { id: runId } });
});

const anchor = (i: number) => article.paragraphs[i]!.anchorId;

// ---------------------------------------------------------------------------------------------
// Writing rows with plain SQL (the placement columns as createContribution's ownPlacement fills them).

async function insertRows(rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => {
    const p = article.paragraphs[r.paragraph]!;
    const sel = selectorFor(p.text, r.start, r.end);
    const whole = r.start === 0 && r.end === p.text.length;
    const source = r.kind === "SOURCE";
    return Prisma.sql`(${r.id}::uuid, ${r.kind}::"ContributionKind", ${r.status}::"ContributionStatus", ${`Body of ${r.id}`},
      ${source ? "https://example.org/evidence" : null}, ${source ? "SUPPORTS" : null}::"SourceStance",
      ${article.articleId}::uuid, ${article.versionId}::uuid, ${p.id}::uuid, ${p.anchorId},
      ${sel.exact}, ${sel.prefix}, ${sel.suffix}, ${sel.start}, ${sel.end}, ${whole},
      ${r.parentId}::uuid, ${r.rootId}::uuid, ${r.depth}, ${r.authorId}::uuid,
      ${r.createdAt}::timestamptz, ${r.createdAt}::timestamptz, ${r.deleted ? new Date(r.createdAt.getTime() + 500) : null}::timestamptz,
      ${p.anchorId}, ${sel.start}, ${sel.end}, ${sel.exact}, ${sel.prefix}, ${sel.suffix}, ${whole}, 'EXACT'::"AnchoringMethod", 1, ${versionNumber})`;
  });
  await db.$executeRaw`
    INSERT INTO "Contribution" (id, kind, status, body, "sourceUrl", stance, "articleId", "articleVersionId", "paragraphId", "anchorId",
      "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "wholeParagraph", "parentId", "rootId", depth, "authorId",
      "createdAt", "updatedAt", "deletedAt",
      "placedAnchorId", "placedStart", "placedEnd", "placedExact", "placedPrefix", "placedSuffix", "placedWhole", "placedMethod", "placedScore", "placedSince")
    VALUES ${Prisma.join(values)}`;
}

async function insertScores(rows: Row[]): Promise<void> {
  const scored = rows.filter((r) => r.score);
  const now = new Date();
  // Without the list-key columns: the trigger copies them from the contribution.
  const plain = scored.filter((r) => !r.score!.viaJob);
  if (plain.length) {
    await db.$executeRaw`
      INSERT INTO "ContributionScore" ("contributionId", "runId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt")
      VALUES ${Prisma.join(plain.map((r) => Prisma.sql`(${r.id}::uuid, ${runId}::uuid, ${r.score!.intercept}::float8, 0, 5, 5, ${r.score!.status}::"RankingStatus", ${now}::timestamptz)`))}`;
  }
  // The scoring job's own statement (lib/ranking/score-contributions.ts).
  const job = scored.filter((r) => r.score!.viaJob);
  if (job.length) {
    const ids = job.map((r) => r.id);
    const intercepts = job.map((r) => r.score!.intercept);
    const factors = job.map(() => 0);
    const counts = job.map(() => 5);
    const statuses = job.map((r) => r.score!.status);
    await db.$executeRaw`
      INSERT INTO "ContributionScore" ("contributionId", "runId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt",
                                       "articleId", "listAnchorId", "postedAt")
      SELECT t.id, ${runId}::uuid, t.i, t.f, t.n, t.m, t.s::"RankingStatus", ${now},
             c."articleId", CASE WHEN c."parentId" IS NULL THEN c."placedAnchorId" END, c."createdAt"
      FROM unnest(${ids}::uuid[], ${intercepts}::float8[], ${factors}::float8[], ${counts}::int[], ${counts}::int[], ${statuses}::text[])
        AS t(id, i, f, n, m, s)
      JOIN "Contribution" c ON c.id = t.id`;
  }
}

async function clearRows(): Promise<void> {
  await db.$executeRaw`DELETE FROM "Contribution" WHERE "articleId" = ${article.articleId}::uuid`;
}

// ---------------------------------------------------------------------------------------------
// The reference model, from the spec.

function visible(r: Row, viewer: string | null): boolean {
  return !r.deleted && (r.status === "PUBLISHED" || (viewer !== null && r.authorId === viewer));
}

function model(rows: Row[]) {
  const children = new Map<string, Row[]>();
  for (const r of rows) if (r.parentId) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);
  const kids = (r: Row) => children.get(r.id) ?? [];
  const shown = (r: Row, v: string | null) => visible(r, v) || kids(r).some((c) => visible(c, v));
  const matches = (r: Row, paragraph: number, f: Filter) =>
    r.parentId === null &&
    r.paragraph === paragraph &&
    (f.kind === undefined || r.kind === f.kind) &&
    (f.covering === undefined || (r.start <= f.covering && f.covering < r.end));
  const ratedScore = (r: Row) => r.score !== null && (r.score.status === "HELPFUL" || r.score.status === "RATED");
  const tier = (r: Row, v: string | null) =>
    !visible(r, v) ? 3 : r.status !== "PUBLISHED" || !r.score || r.score.status === "NEEDS_MORE_RATINGS" ? 1 : r.score.status === "HELPFUL" ? 0 : 2;
  const score = (r: Row) => (r.status === "PUBLISHED" && !r.deleted && ratedScore(r) ? r.score!.intercept : 0);
  const newest = (a: Row, b: Row) =>
    b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

  return {
    sortFor(paragraph: number, f: Filter, asked?: ListSort): ListSort {
      if (asked) return asked;
      const rated = rows.some((r) => matches(r, paragraph, f) && r.status === "PUBLISHED" && !r.deleted && ratedScore(r));
      return rated ? "helpful" : "newest";
    },
    list(paragraph: number, f: Filter, v: string | null, sort: ListSort) {
      const listed = rows.filter((r) => matches(r, paragraph, f) && shown(r, v));
      listed.sort(sort === "newest" ? newest : (a, b) => tier(a, v) - tier(b, v) || score(b) - score(a) || newest(a, b));
      return listed.map((r) => {
        const placeholder = r.deleted ? "deleted" : visible(r, v) ? null : r.status === "PENDING" ? "pending" : "hidden";
        return {
          id: r.id,
          placeholder,
          replyCount: kids(r).filter((c) => shown(c, v)).length,
          mine: placeholder === null && v !== null && r.authorId === v,
          ranking: placeholder === null && r.status === "PUBLISHED" && r.score ? r.score.status : "NEEDS_MORE_RATINGS",
          parentId: null,
          inReplyTo: null,
        };
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Paging through the code under test.

async function allPages(paragraph: number, f: Filter, viewer: string | null, sort: ListSort | undefined, limits: number[]) {
  const pages: { page: ContributionPage; limit: number }[] = [];
  let cursor: string | undefined;
  do {
    const limit = limits[pages.length % limits.length]!;
    const page = await listParagraphContributions(article.slug, anchor(paragraph), { limit, cursor, sort, viewerId: viewer, ...f });
    pages.push({ page, limit });
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 200) throw new Error("paging does not end");
  } while (cursor);
  return pages;
}

function project(page: ContributionPage) {
  return page.items.map((i) => ({
    id: i.id,
    placeholder: i.placeholder,
    replyCount: i.replyCount,
    mine: i.mine,
    ranking: i.ranking.status,
    parentId: i.parentId,
    inReplyTo: i.inReplyTo,
  }));
}

// ---------------------------------------------------------------------------------------------
// Random data.

const statusArb: fc.Arbitrary<Status> = fc.oneof(
  { weight: PUBLISHED_WEIGHT, arbitrary: fc.constant<Status>("PUBLISHED") },
  { weight: 1, arbitrary: fc.constantFrom<Status>("PENDING", "HIDDEN", "REJECTED") },
);
const deletedArb = fc.integer({ min: 0, max: 4 }).map((n) => n === 0);
const kindArb = fc.constantFrom<Kind>("ANNOTATION", "COUNTERPOINT", "SOURCE");
const authorArb = fc.integer({ min: 0, max: 2 });
// A few instants only, so createdAt ties are common; ids then decide.
const timeArb = fc.integer({ min: 0, max: 4 });
const keyArb = fc.integer({ min: 0, max: 5 });
// Spans of the ~300-character paragraphs, overlapping so a covering offset keeps some and drops others.
const spanArb = fc.constantFrom<[number, number]>([0, 20], [10, 40], [30, 60], [0, 120], [100, 140], [35, 36]);
const coveringArb = fc.constantFrom(0, 12, 35, 50, 110, 200);
const scoreArb: fc.Arbitrary<Score | null> = fc.option(
  fc.record({
    status: fc.constantFrom<ScoreStatus>("NEEDS_MORE_RATINGS", "RATED", "HELPFUL"),
    // A small set, so equal intercepts (and equal intercepts at equal times) occur.
    intercept: fc.constantFrom(-0.2, 0, 0.1, 0.3, 0.45),
    viaJob: fc.boolean(),
  }),
  { freq: 3 },
);
const leafArb = fc.record({ key: keyArb, status: statusArb, deleted: deletedArb, author: authorArb, time: timeArb, score: scoreArb });
const replyArb = fc.record({
  key: keyArb,
  status: statusArb,
  deleted: deletedArb,
  author: authorArb,
  time: timeArb,
  kind: kindArb,
  score: scoreArb,
  replies: fc.array(leafArb, { maxLength: 1 }),
});
const topArb = fc.record({
  key: keyArb,
  // Mostly the paragraph under test; some on the other one (they must not leak in, and have their own list).
  paragraph: fc.constantFrom(0, 0, 0, 1),
  kind: kindArb,
  status: statusArb,
  deleted: deletedArb,
  author: authorArb,
  time: timeArb,
  span: spanArb,
  score: scoreArb,
  replies: fc.array(replyArb, { maxLength: 3 }),
});
const caseArb = fc.record({
  tops: fc.array(topArb, { maxLength: 14 }),
  /** Move one scored top-level contribution of paragraph 0 to paragraph 1 after scoring. */
  move: fc.option(fc.nat(), { freq: 2, nil: undefined }),
  filter: fc.record(
    { kind: fc.option(kindArb, { nil: undefined }), covering: fc.option(coveringArb, { nil: undefined }) },
    { requiredKeys: [] },
  ),
  limits: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

let runCounter = 0;

/** The rows of one case; ids ordered by `key` first (hex), then unique per run and row. */
function rowsOf(c: Case): Row[] {
  const run = ++runCounter;
  let seq = 0;
  const users = [alice.id, bob.id, carol.id];
  const id = (key: number) =>
    `${key.toString(16).padStart(8, "0")}-${(run % 0x10000).toString(16).padStart(4, "0")}-4000-8000-${(++seq).toString(16).padStart(12, "0")}`;
  const at = (t: number) => new Date(T0 + t * 1000);
  const rows: Row[] = [];
  for (const t of c.tops) {
    const top: Row = {
      id: id(t.key), parentId: null, rootId: null, depth: 0, paragraph: t.paragraph, kind: t.kind, status: t.status,
      deleted: t.deleted, authorId: users[t.author]!, createdAt: at(t.time), start: t.span[0], end: t.span[1], score: t.score,
    };
    rows.push(top);
    for (const r of t.replies) {
      const reply: Row = {
        ...top, id: id(r.key), parentId: top.id, rootId: top.id, depth: 1, kind: r.kind, status: r.status,
        deleted: r.deleted, authorId: users[r.author]!, createdAt: at(r.time), score: r.score,
      };
      rows.push(reply);
      for (const l of r.replies) {
        rows.push({
          ...reply, id: id(l.key), parentId: reply.id, rootId: top.id, depth: 2, kind: "ANNOTATION", status: l.status,
          deleted: l.deleted, authorId: users[l.author]!, createdAt: at(l.time), score: l.score,
        });
      }
    }
  }
  return rows;
}

const stats = { runs: 0, placeholders: 0, timeTies: 0, plainScores: 0, jobScores: 0, moves: 0, helpfulDefault: 0, hiddenScored: 0 };

describe("listParagraphContributions order (property)", () => {
  it("returns exactly the documented order across pages, for random data", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const rows = rowsOf(c);
        try {
          await insertRows(rows);
          await insertScores(rows);

          // Optionally move one scored top-level contribution to paragraph 1 (the trigger moves its score row's key).
          if (c.move !== undefined) {
            const movable = rows.filter((r) => r.parentId === null && r.paragraph === 0 && r.score);
            const moved = movable[c.move % Math.max(1, movable.length)];
            if (moved) {
              await db.$executeRaw`UPDATE "Contribution" SET "placedAnchorId" = ${anchor(1)} WHERE id = ${moved.id}::uuid`;
              moved.paragraph = 1;
              stats.moves++;
            }
          }

          // Both ways of writing a score row give the same list key.
          const keys = await db.$queryRaw<{ id: string; articleId: string | null; listAnchorId: string | null; postedAt: Date | null }[]>`
            SELECT "contributionId"::text AS id, "articleId"::text AS "articleId", "listAnchorId", "postedAt"
            FROM "ContributionScore" WHERE "contributionId" = ANY(${rows.map((r) => r.id)}::uuid[])`;
          const byId = new Map(rows.map((r) => [r.id, r]));
          expect(keys.length).toBe(rows.filter((r) => r.score).length);
          for (const k of keys) {
            const r = byId.get(k.id)!;
            expect({ articleId: k.articleId, listAnchorId: k.listAnchorId, postedAt: k.postedAt?.getTime() }).toEqual({
              articleId: article.articleId,
              listAnchorId: r.parentId === null ? anchor(r.paragraph) : null,
              postedAt: r.createdAt.getTime(),
            });
          }

          const m = model(rows);
          for (const paragraph of [0, 1]) {
            for (const f of [{}, c.filter] as Filter[]) {
              for (const viewer of [null, alice.id]) {
                for (const asked of [undefined, "newest", "helpful"] as const) {
                  const sort = m.sortFor(paragraph, f, asked);
                  const want = m.list(paragraph, f, viewer, sort);
                  const pages = await allPages(paragraph, f, viewer, asked, c.limits);
                  const label = JSON.stringify({ paragraph, f, viewer: viewer && "alice", asked });
                  expect(pages.map((p) => p.page.sort), label).toEqual(pages.map(() => sort));
                  expect(pages.flatMap((p) => project(p.page)), label).toEqual(want);
                  // Full pages with a cursor, then the last (never an empty one, unless the list is).
                  pages.forEach((p, i) => {
                    const last = i === pages.length - 1;
                    expect(p.page.nextCursor === null, label).toBe(last);
                    if (!last) expect(p.page.items.length, label).toBe(p.limit);
                    else expect(p.page.items.length > 0 || want.length === 0, label).toBe(true);
                  });
                  if (asked === undefined && sort === "helpful") stats.helpfulDefault++;
                }
              }
            }
          }

          stats.runs++;
          const tops = rows.filter((r) => r.parentId === null);
          if (tops.some((r) => !visible(r, null) && rows.some((x) => x.parentId === r.id && visible(x, null)))) stats.placeholders++;
          if (new Set(tops.map((r) => r.createdAt.getTime())).size < tops.length) stats.timeTies++;
          if (rows.some((r) => r.score && !r.score.viaJob)) stats.plainScores++;
          if (rows.some((r) => r.score?.viaJob)) stats.jobScores++;
          if (tops.some((r) => r.score && (r.deleted || r.status !== "PUBLISHED"))) stats.hiddenScored++;
        } finally {
          await clearRows();
        }
      }),
      { numRuns: 25, seed },
    );
    // The cases above did exercise what the test is about.
    expect(stats.runs).toBe(25);
    for (const [k, n] of Object.entries(stats)) expect(n, k).toBeGreaterThan(0);
  });
});

describe("listParagraphContributions helpful cursor", () => {
  it("accepts a ranked cursor whose last item is a placeholder (tier 3), and pages to the end", async () => {
    const P = 2;
    const p = article.paragraphs[P]!;
    const base = (id: string, at: number, extra: Partial<Row> = {}): Row => ({
      id, parentId: null, rootId: null, depth: 0, paragraph: P, kind: "ANNOTATION", status: "PUBLISHED", deleted: false,
      authorId: bob.id, createdAt: new Date(T0 + at * 1000), start: 0, end: Math.min(20, p.text.length), score: null, ...extra,
    });
    const ids = ["a0000001", "a0000002", "a0000003", "a0000004"].map((k) => `${k}-ffff-4000-8000-000000000001`);
    const replies = ["b0000001", "b0000002", "b0000003"].map((k) => `${k}-ffff-4000-8000-000000000001`);
    const rows: Row[] = [
      base(ids[0]!, 5, { score: { status: "HELPFUL", intercept: 0.4, viaJob: false } }),
      // Three placeholders (deleted, hidden, pending) with a visible reply each; two share a time.
      base(ids[1]!, 3, { deleted: true, score: { status: "HELPFUL", intercept: 0.5, viaJob: true } }),
      base(ids[2]!, 3, { status: "HIDDEN", score: { status: "RATED", intercept: 0.2, viaJob: false } }),
      base(ids[3]!, 1, { status: "PENDING" }),
    ];
    rows.forEach((top, i) => {
      if (i > 0) rows.push(base(replies[i - 1]!, 6, { parentId: top.id, rootId: top.id, depth: 1, authorId: carol.id }));
    });
    try {
      await insertRows(rows);
      await insertScores(rows);
      const want = [ids[0], ids[2], ids[1], ids[3]];
      for (const limit of [1, 2, 3]) {
        const pages = await allPages(P, {}, null, undefined, [limit]);
        expect(pages.every((pg) => pg.page.sort === "helpful")).toBe(true);
        expect(pages.flatMap((pg) => pg.page.items.map((i) => [i.id, i.placeholder]))).toEqual([
          [ids[0], null], [ids[2], "hidden"], [ids[1], "deleted"], [ids[3], "pending"],
        ]);
        expect(pages.flatMap((pg) => pg.page.items.map((i) => i.id))).toEqual(want);
      }
      // A cursor written by hand after the first placeholder: the rest follow.
      const cursor = encodeRankedCursor({ tier: 3, score: 0, at: new Date(T0 + 3000), id: ids[2]! });
      const rest = await listParagraphContributions(article.slug, anchor(P), { limit: 5, cursor, viewerId: null });
      expect(rest.items.map((i) => i.id)).toEqual([ids[1], ids[3]]);
      expect(rest.nextCursor).toBeNull();
    } finally {
      await clearRows();
    }
  });
});
