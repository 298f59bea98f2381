import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { listParagraphContributions, type ContributionPage } from "@/lib/annotations/list-contributions";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { claim, longParagraph, testData, type LoadedArticle } from "./support/fixtures";

/** A paragraph's contributions, keyset-paged newest first, and the per-paragraph summaries. */

let db: Db;
let data: ReturnType<typeof testData>;
let article: LoadedArticle;
let alice: CurrentUser;
let bob: CurrentUser;

beforeAll(async () => {
  db = await getDb();
  data = testData(db);
  article = await data.article([longParagraph(), longParagraph(), longParagraph(), longParagraph()]);
  alice = await data.user();
  bob = await data.user();
});

afterAll(async () => {
  await data?.cleanup();
});

const anchor = (i: number) => article.paragraphs[i]!.anchorId;

describe("listParagraphContributions paging", () => {
  const P = 0;
  let created: string[] = [];

  beforeAll(async () => {
    created = [];
    for (let i = 0; i < 45; i++) {
      const user = i % 2 ? alice : bob;
      const start = (i * 5) % 200;
      const c = await createContribution(user, article.slug, claim(article, P, [start, start + 10], { body: `Contribution ${i}` }));
      created.push(c.id);
    }
    // Several contributions made in the same millisecond, straddling the first page break:
    // the id breaks the tie, so none may be skipped or repeated.
    await db.contribution.updateMany({
      where: { id: { in: created.slice(20, 30) } },
      data: { createdAt: new Date(Date.now() + 60_000) },
    });
  });

  async function allPages(limit: number, covering?: number): Promise<ContributionPage[]> {
    const pages: ContributionPage[] = [];
    let cursor: string | undefined;
    do {
      const page = await listParagraphContributions(article.slug, anchor(P), { limit, cursor, covering, viewerId: alice.id });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
      if (pages.length > 10) throw new Error("paging does not end");
    } while (cursor);
    return pages;
  }

  it("pages 45 contributions 20 at a time: 20, 20, 5, then no cursor", async () => {
    const pages = await allPages(20);
    expect(pages.map((p) => p.items.length)).toEqual([20, 20, 5]);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
  });

  it("returns every contribution exactly once, newest first (ties broken by id)", async () => {
    const items = (await allPages(20)).flatMap((p) => p.items);
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(45);
    expect([...ids].sort()).toEqual([...created].sort());

    const rows = await db.contribution.findMany({
      where: { id: { in: created } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(ids).toEqual(rows.map((r) => r.id));
    for (let i = 1; i < items.length; i++) {
      expect(Date.parse(items[i]!.createdAt)).toBeLessThanOrEqual(Date.parse(items[i - 1]!.createdAt));
    }
    // The ten contributions moved forward in time come first.
    expect(new Set(ids.slice(0, 10))).toEqual(new Set(created.slice(20, 30)));
  });

  it("gives the same pages with other page sizes", async () => {
    const by20 = (await allPages(20)).flatMap((p) => p.items.map((i) => i.id));
    const by7 = await allPages(7);
    expect(by7.map((p) => p.items.length)).toEqual([7, 7, 7, 7, 7, 7, 3]);
    expect(by7.flatMap((p) => p.items.map((i) => i.id))).toEqual(by20);
    const by45 = await allPages(45);
    expect(by45).toHaveLength(1);
    expect(by45[0]!.nextCursor).toBeNull();
  });

  it("is stable while new contributions arrive", async () => {
    const first = await listParagraphContributions(article.slug, anchor(P), { limit: 20, viewerId: null });
    const newer = await createContribution(bob, article.slug, claim(article, P, [0, 3]));
    const second = await listParagraphContributions(article.slug, anchor(P), { limit: 20, cursor: first.nextCursor!, viewerId: null });
    const seen = [...first.items, ...second.items].map((i) => i.id);
    expect(seen).not.toContain(newer.id);
    expect(new Set(seen).size).toBe(40);
    await db.contribution.delete({ where: { id: newer.id } });
  });

  it("marks the viewer's own contributions", async () => {
    const items = (await allPages(50)).flatMap((p) => p.items);
    for (const item of items) {
      const isAlice = Number(item.body.split(" ")[1]) % 2 === 1;
      expect(item.mine, item.body).toBe(isAlice);
    }
    const anonymous = await listParagraphContributions(article.slug, anchor(P), { limit: 50, viewerId: null });
    expect(anonymous.items.every((i) => !i.mine)).toBe(true);
  });

  it("leaves out contributions that are not published or are deleted", async () => {
    const pending = await createContribution(bob, article.slug, claim(article, P, [0, 4]));
    const hidden = await createContribution(bob, article.slug, claim(article, P, [0, 5]));
    const gone = await createContribution(bob, article.slug, claim(article, P, [0, 6]));
    await db.contribution.update({ where: { id: pending.id }, data: { status: "PENDING" } });
    await db.contribution.update({ where: { id: hidden.id }, data: { status: "HIDDEN" } });
    await db.contribution.update({ where: { id: gone.id }, data: { deletedAt: new Date() } });
    const ids = (await allPages(50)).flatMap((p) => p.items.map((i) => i.id));
    expect(ids).toHaveLength(45);
    expect(ids).not.toContain(pending.id);
    expect(ids).not.toContain(hidden.id);
    expect(ids).not.toContain(gone.id);
  });

  it("rejects a cursor that is not one of ours with a validation error", async () => {
    const bad = [
      "not-a-cursor",
      Buffer.from("yesterday|0f0e0d0c-0b0a-4908-8706-050403020100").toString("base64url"),
      Buffer.from(`${new Date().toISOString()}|not-a-uuid`).toString("base64url"),
      Buffer.from(new Date().toISOString()).toString("base64url"),
      Buffer.from(`${new Date().toISOString()}|0f0e0d0c-0b0a-4908-8706-050403020100'; DROP TABLE "User";--`).toString("base64url"),
    ];
    for (const cursor of bad) {
      const err = await listParagraphContributions(article.slug, anchor(P), { limit: 20, cursor, viewerId: null }).catch((e: unknown) => e);
      expect(err, cursor).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "validation", details: { fields: [{ field: "cursor" }] } });
    }
  });

  it("answers not_found for an unknown article or paragraph", async () => {
    await expect(listParagraphContributions("no-such-article", anchor(P), { limit: 20, viewerId: null })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(listParagraphContributions(article.slug, "p-nope-000000", { limit: 20, viewerId: null })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("listParagraphContributions covering an offset", () => {
  const P = 1;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const [name, span] of [
      ["a", [0, 10]],
      ["b", [5, 15]],
      ["c", [20, 30]],
      ["whole", "whole"],
    ] as const) {
      ids[name] = (await createContribution(alice, article.slug, claim(article, P, span))).id;
    }
  });

  const covering = async (offset: number) =>
    (await listParagraphContributions(article.slug, anchor(P), { limit: 50, covering: offset, viewerId: null })).items
      .map((i) => Object.keys(ids).find((k) => ids[k] === i.id))
      .sort();

  it("keeps the claims whose span contains the offset (start inclusive, end exclusive)", async () => {
    expect(await covering(0)).toEqual(["a", "whole"]);
    expect(await covering(7)).toEqual(["a", "b", "whole"]);
    expect(await covering(10)).toEqual(["b", "whole"]);
    expect(await covering(15)).toEqual(["whole"]);
    expect(await covering(29)).toEqual(["c", "whole"]);
    expect(await covering(30)).toEqual(["whole"]);
    expect(await covering(article.paragraphs[P]!.text.length)).toEqual([]);
  });
});

describe("paragraphSummaries", () => {
  const P = 2;
  const Q = 3;

  beforeAll(async () => {
    const make = (p: number, span: [number, number] | "whole", kind: "ANNOTATION" | "COUNTERPOINT" | "SOURCE", user = alice) =>
      createContribution(user, article.slug, claim(article, p, span, { kind }));
    await make(P, [0, 10], "ANNOTATION");
    await make(P, [5, 15], "ANNOTATION"); // overlaps the one before: merged into [0, 15]
    await make(P, [20, 30], "COUNTERPOINT", bob);
    await make(P, [28, 40], "SOURCE"); // overlaps: [20, 40]
    await make(P, [60, 80], "COUNTERPOINT");
    await make(P, [65, 70], "ANNOTATION"); // inside [60, 80]
    await make(P, [90, 100], "SOURCE");
    await make(P, [90, 100], "SOURCE", bob); // the same span twice
    await make(P, "whole", "ANNOTATION"); // counted, but not highlighted
    const pending = await make(P, [200, 210], "COUNTERPOINT");
    const deleted = await make(P, [220, 230], "SOURCE");
    await db.contribution.update({ where: { id: pending.id }, data: { status: "PENDING" } });
    await db.contribution.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    await make(Q, "whole", "COUNTERPOINT");
  });

  it("counts published contributions per kind and merges overlapping spans", async () => {
    const summaries = await paragraphSummaries(article.articleId);
    expect(summaries.get(anchor(P))).toMatchObject({
      counts: { ANNOTATION: 4, COUNTERPOINT: 2, SOURCE: 3 },
      highlights: [
        [0, 15],
        [20, 40],
        [60, 80],
        [90, 100],
      ],
      // Cut wherever a claim starts or ends, with how many claims cover each piece.
      depths: [
        [0, 5, 1],
        [5, 10, 2],
        [10, 15, 1],
        [20, 28, 1],
        [28, 30, 2],
        [30, 40, 1],
        [60, 65, 1],
        [65, 70, 2],
        [70, 80, 1],
        [90, 100, 2],
      ],
    });
  });

  it("counts whole-paragraph contributions without highlighting anything", async () => {
    const summaries = await paragraphSummaries(article.articleId);
    expect(summaries.get(anchor(Q))).toMatchObject({ counts: { ANNOTATION: 0, COUNTERPOINT: 1, SOURCE: 0 }, highlights: [], contested: 0 });
  });

  it("only covers this article", async () => {
    const summaries = await paragraphSummaries(article.articleId);
    const anchors = new Set(article.paragraphs.map((p) => p.anchorId));
    for (const key of summaries.keys()) expect(anchors.has(key)).toBe(true);
    const empty = await data.article([longParagraph()]);
    expect((await paragraphSummaries(empty.articleId)).size).toBe(0);
  });
});

describe("the margin: top item, disagreement marker, filter by kind", () => {
  const P = 1;
  let ids: Record<string, string>;
  let art: LoadedArticle;
  const at = () => art.paragraphs[P]!.anchorId;

  /** Stores a scoring run's outcome for these contributions, as the background job would. */
  async function storeScores(scores: [string, "HELPFUL" | "RATED" | "NEEDS_MORE_RATINGS", number][]) {
    const now = new Date();
    const run = await db.scoringRun.create({
      data: {
        startedAt: now,
        finishedAt: now,
        trigger: "operator",
        ratingsCount: 0,
        ratingsFitted: 0,
        ratersFitted: 0,
        ratersExcluded: 0,
        itemsScored: scores.length,
        helpfulCount: 0,
        iterations: 1,
        converged: true,
        mu: 0,
        rmse: 0,
        parameters: {},
      },
    });
    for (const [contributionId, status, intercept] of scores) {
      const values = { runId: run.id, intercept, factor: 0, ratingCount: 5, fitRatingCount: 5, status, scoredAt: now };
      await db.contributionScore.upsert({ where: { contributionId }, create: { contributionId, ...values }, update: values });
    }
  }

  beforeAll(async () => {
    art = await data.article([longParagraph(), longParagraph()]);
    const post = async (kind: "ANNOTATION" | "COUNTERPOINT" | "SOURCE", body: string, extra: object = {}) =>
      (await createContribution(alice, art.slug, claim(art, P, "whole", { kind, body, ...extra }))).id;
    ids = {
      old: await post("ANNOTATION", "**Rents** rose in [Tbilisi](https://example.org/t) first.\nSecond line."),
      counter: await post("COUNTERPOINT", "> The figures are from 2022.\nSo the claim is out of date."),
      refuting: await post("SOURCE", "Official statistics say otherwise.", { source: { url: "https://www.stats.example/report", stance: "REFUTES", title: "Statistics office" } }),
      newest: await post("ANNOTATION", "The newest note."),
    };
  });

  it("teases the newest item while nothing is scored, with its first line as plain text", async () => {
    const s = (await paragraphSummaries(art.articleId)).get(at())!;
    expect(s.top).toEqual({ id: ids.newest, kind: "ANNOTATION", author: alice.name, firstLine: "The newest note.", ranking: "NEEDS_MORE_RATINGS" });
    expect(s.contested).toBe(0);
  });

  it("teases the item rated helpful across perspectives, and marks counterpoints rated helpful", async () => {
    await storeScores([
      [ids.counter!, "HELPFUL", 0.45],
      [ids.old!, "HELPFUL", 0.35],
      [ids.refuting!, "HELPFUL", 0.31],
      [ids.newest!, "RATED", 0.1],
    ]);
    const s = (await paragraphSummaries(art.articleId)).get(at())!;
    // The quote marker goes; the first line is the first line only.
    expect(s.top).toEqual({ id: ids.counter, kind: "COUNTERPOINT", author: alice.name, firstLine: "The figures are from 2022.", ranking: "HELPFUL" });
    // The counterpoint and the refuting source; the helpful annotation does not dispute anything.
    expect(s.contested).toBe(2);
    // The teaser is the item the discussion opens with.
    const page = await listParagraphContributions(art.slug, at(), { limit: 20, viewerId: null });
    expect(page.sort).toBe("helpful");
    expect(page.items[0]!.id).toBe(s.top!.id);
  });

  it("takes the first line of markdown as text, and never teases what readers cannot see", async () => {
    await storeScores([[ids.counter!, "RATED", 0.1], [ids.refuting!, "RATED", 0.1]]);
    const s = (await paragraphSummaries(art.articleId)).get(at())!;
    expect(s.top).toMatchObject({ id: ids.old, firstLine: "Rents rose in Tbilisi first." });
    expect(s.contested).toBe(0);
    await db.contribution.update({ where: { id: ids.old! }, data: { status: "HIDDEN" } });
    await storeScores([[ids.refuting!, "HELPFUL", 0.5]]);
    expect((await paragraphSummaries(art.articleId)).get(at())!.top).toMatchObject({ id: ids.refuting, firstLine: "Official statistics say otherwise." });
    await db.contribution.update({ where: { id: ids.old! }, data: { status: "PUBLISHED" } });
  });

  it("filters the list by kind, in either order", async () => {
    for (const sort of ["newest", "helpful"] as const) {
      const only = async (kind: "ANNOTATION" | "COUNTERPOINT" | "SOURCE") =>
        (await listParagraphContributions(art.slug, at(), { limit: 20, viewerId: null, sort, kind })).items.map((i) => i.id).sort();
      expect(await only("ANNOTATION")).toEqual([ids.old!, ids.newest!].sort());
      expect(await only("COUNTERPOINT")).toEqual([ids.counter!]);
      expect(await only("SOURCE")).toEqual([ids.refuting!]);
    }
  });
});
