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
    expect(summaries.get(anchor(P))).toEqual({
      counts: { ANNOTATION: 4, COUNTERPOINT: 2, SOURCE: 3 },
      highlights: [
        [0, 15],
        [20, 40],
        [60, 80],
        [90, 100],
      ],
    });
  });

  it("counts whole-paragraph contributions without highlighting anything", async () => {
    const summaries = await paragraphSummaries(article.articleId);
    expect(summaries.get(anchor(Q))).toEqual({ counts: { ANNOTATION: 0, COUNTERPOINT: 1, SOURCE: 0 }, highlights: [] });
  });

  it("only covers this article", async () => {
    const summaries = await paragraphSummaries(article.articleId);
    const anchors = new Set(article.paragraphs.map((p) => p.anchorId));
    for (const key of summaries.keys()) expect(anchors.has(key)).toBe(true);
    const empty = await data.article([longParagraph()]);
    expect((await paragraphSummaries(empty.articleId)).size).toBe(0);
  });
});
