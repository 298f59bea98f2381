import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { dueTrigger } from "@/lib/ranking/loop";
import { scoreContributions } from "@/lib/ranking/score-contributions";
import { rateContribution } from "@/lib/ratings/rate-contribution";
import { withdrawRating } from "@/lib/ratings/withdraw-rating";
import { claim, longParagraph, testData, type LoadedArticle } from "./support/fixtures";

/**
 * Ratings end to end below HTTP: one per rater per contribution, changeable and withdrawable;
 * others' ratings only after rating; a scoring run stores scores and history that the
 * paragraph list reads for "Most helpful"; hidden contributions' ratings stop counting.
 */

let db: Db;
let data: ReturnType<typeof testData>;
let article: LoadedArticle;
let author: CurrentUser;
let raters: CurrentUser[];

beforeAll(async () => {
  db = await getDb();
  data = testData(db);
  article = await data.article([longParagraph(), longParagraph(), longParagraph()]);
  author = await data.user();
  raters = [];
  for (let i = 0; i < 6; i++) raters.push(await data.user());
});

afterAll(async () => {
  await data?.cleanup();
});

const anchor = (i: number) => article.paragraphs[i]!.anchorId;
const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );
const post = (p: number, body: string) => createContribution(author, article.slug, claim(article, p, "whole", { kind: "COUNTERPOINT", body }));

describe("rating a contribution", () => {
  let id: string;
  beforeAll(async () => {
    id = (await post(0, "Rated")).id;
  });

  it("refuses the author (403) and unknown, hidden or deleted contributions (404)", async () => {
    expect(await code(rateContribution(author, id, { value: "HELPFUL", tags: [] }))).toBe("forbidden");
    expect(await code(rateContribution(raters[0]!, "00000000-0000-4000-8000-000000000000", { value: "HELPFUL", tags: [] }))).toBe("not_found");
    const hidden = (await post(0, "Hidden")).id;
    await db.contribution.update({ where: { id: hidden }, data: { status: "HIDDEN" } });
    expect(await code(rateContribution(raters[0]!, hidden, { value: "HELPFUL", tags: [] }))).toBe("not_found");
    const deleted = (await post(0, "Deleted")).id;
    await db.contribution.update({ where: { id: deleted }, data: { deletedAt: new Date() } });
    expect(await code(rateContribution(raters[0]!, deleted, { value: "HELPFUL", tags: [] }))).toBe("not_found");
  });

  it("keeps one rating per rater, changeable, and shows the distribution once rated", async () => {
    const first = await rateContribution(raters[0]!, id, { value: "HELPFUL", tags: ["CLEAR"] });
    expect(first.rating).toMatchObject({ value: "HELPFUL", tags: ["CLEAR"] });
    expect(first.ratings).toEqual({ helpful: 1, somewhat: 0, notHelpful: 0, total: 1 });
    const changed = await rateContribution(raters[0]!, id, { value: "NOT_HELPFUL", tags: ["MISLEADING"] });
    expect(changed.ratings).toEqual({ helpful: 0, somewhat: 0, notHelpful: 1, total: 1 });
    expect(await db.rating.count({ where: { contributionId: id } })).toBe(1);
  });

  it("hides others' ratings from a reader who has not rated, shows them to one who has and to the author", async () => {
    const list = (viewer: CurrentUser | null) =>
      listParagraphContributions(article.slug, anchor(0), { limit: 20, viewerId: viewer?.id ?? null, sort: "newest" }).then(
        (p) => p.items.find((c) => c.id === id)!,
      );
    expect(await list(raters[1]!)).toMatchObject({ myRating: null, ratings: null });
    expect(await list(null)).toMatchObject({ myRating: null, ratings: null, ranking: { status: "NEEDS_MORE_RATINGS" } });
    expect(await list(raters[0]!)).toMatchObject({ myRating: { value: "NOT_HELPFUL", tags: ["MISLEADING"] }, ratings: { total: 1 } });
    expect(await list(author)).toMatchObject({ myRating: null, ratings: { notHelpful: 1, total: 1 } });
  });

  it("withdraws a rating (and withdrawing again changes nothing)", async () => {
    await withdrawRating(raters[0]!, id);
    await withdrawRating(raters[0]!, id);
    expect(await db.rating.count({ where: { contributionId: id } })).toBe(0);
  });
});

describe("a scoring run and the 'Most helpful' order", () => {
  const P = 1;
  let ids: string[];
  let runId: string;

  beforeAll(async () => {
    // Five counterpoints, oldest first; every rater rates all five: the oldest helpful, the others not.
    ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await post(P, `Counterpoint ${i}`)).id);
      await db.contribution.update({ where: { id: ids[i]! }, data: { createdAt: new Date(Date.now() - (10 - i) * 60_000) } });
    }
    for (const r of raters) {
      for (const [i, cid] of ids.entries()) await rateContribution(r, cid, { value: i === 0 ? "HELPFUL" : "NOT_HELPFUL", tags: [] });
    }
  });

  it("lists newest first before any run, and by default while nothing has enough ratings", async () => {
    const page = await listParagraphContributions(article.slug, anchor(P), { limit: 20, viewerId: null });
    expect(page.sort).toBe("newest");
    expect(page.items.map((c) => c.id)).toEqual([...ids].reverse());
  });

  it("stores scores with the run and the history, and the list reads them", async () => {
    const run = await scoreContributions("operator");
    expect(run).not.toBeNull();
    runId = run!.id;
    expect(run!.ratingsCount).toBeGreaterThanOrEqual(30);
    const score = await db.contributionScore.findUniqueOrThrow({ where: { contributionId: ids[0]! } });
    expect(score).toMatchObject({ runId, status: "HELPFUL", ratingCount: 6, fitRatingCount: 6 });
    expect(await db.contributionScoreHistory.count({ where: { runId, contributionId: { in: ids } } })).toBe(5);

    const page = await listParagraphContributions(article.slug, anchor(P), { limit: 20, viewerId: null });
    expect(page.sort).toBe("helpful");
    expect(page.items[0]).toMatchObject({ id: ids[0], ranking: { status: "HELPFUL" } });
    expect(page.items.slice(1).map((c) => c.ranking.status)).toEqual(["RATED", "RATED", "RATED", "RATED"]);
    const newest = await listParagraphContributions(article.slug, anchor(P), { limit: 20, viewerId: null, sort: "newest" });
    expect(newest.items.map((c) => c.id)).toEqual([...ids].reverse());
  });

  it("puts contributions that need more ratings after the helpful ones, newest first, and pages without gaps", async () => {
    const fresh = [(await post(P, "New A")).id, (await post(P, "New B")).id];
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await listParagraphContributions(article.slug, anchor(P), { limit: 2, cursor, viewerId: null, sort: "helpful" });
      all.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all.slice(0, 3)).toEqual([ids[0], fresh[1], fresh[0]]);
    expect(new Set(all).size).toBe(7);
    expect(all.slice(3).sort()).toEqual(ids.slice(1).sort());
  });

  it("keeps the history of every run, and stops counting ratings of a hidden contribution", async () => {
    await db.contribution.update({ where: { id: ids[0]! }, data: { status: "HIDDEN" } });
    const run = await scoreContributions("operator");
    expect(await db.contributionScore.findUnique({ where: { contributionId: ids[0]! } })).toBeNull();
    const history = await db.contributionScoreHistory.findMany({ where: { contributionId: ids[1]! }, select: { runId: true } });
    expect(history.map((h) => h.runId)).toEqual(expect.arrayContaining([runId, run!.id]));
    // The author still sees their hidden contribution, without a public status.
    const own = await listParagraphContributions(article.slug, anchor(P), { limit: 20, viewerId: author.id, sort: "helpful" });
    expect(own.items.find((c) => c.id === ids[0])).toMatchObject({ status: "HIDDEN", ranking: { status: "NEEDS_MORE_RATINGS" } });
  });

  it("refuses a malformed 'Most helpful' cursor (422)", async () => {
    const bad = Buffer.from(JSON.stringify({ t: 9, s: 0, at: "x", id: "y" })).toString("base64url");
    expect(await code(listParagraphContributions(article.slug, anchor(P), { limit: 2, cursor: bad, viewerId: null, sort: "helpful" }))).toBe(
      "validation",
    );
  });
});

describe("when the background loop scores", () => {
  it("is due on the schedule once the last run is older than the interval, and after enough changed ratings", async () => {
    await scoreContributions("operator");
    expect(await dueTrigger()).toBeNull();
    expect(await dueTrigger(new Date(Date.now() + 11 * 60_000))).toBe("schedule");
    const before = process.env.RANKING_MIN_NEW_RATINGS;
    process.env.RANKING_MIN_NEW_RATINGS = "3";
    try {
      const p = 2;
      const cs = [(await post(p, "Due 1")).id, (await post(p, "Due 2")).id, (await post(p, "Due 3")).id];
      await rateContribution(raters[0]!, cs[0]!, { value: "HELPFUL", tags: [] });
      await rateContribution(raters[0]!, cs[1]!, { value: "HELPFUL", tags: [] });
      expect(await dueTrigger()).toBeNull();
      await rateContribution(raters[0]!, cs[2]!, { value: "HELPFUL", tags: [] });
      expect(await dueTrigger()).toBe("ratings");
    } finally {
      if (before === undefined) delete process.env.RANKING_MIN_NEW_RATINGS;
      else process.env.RANKING_MIN_NEW_RATINGS = before;
    }
  });
});

describe.runIf(process.env.DATABASE_URL)("one scoring run at a time across instances", () => {
  it("skips (returns null) while another connection holds the scoring lock", async () => {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(20261202)");
      expect(await scoreContributions("schedule")).toBeNull();
      await other.query("SELECT pg_advisory_unlock(20261202)");
      expect(await scoreContributions("schedule")).not.toBeNull();
    } finally {
      await other.end();
    }
  });
});
