import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { loadContent, readArticles } from "@/lib/content/load-content";
import { parseArticle } from "@/lib/content/parse-article";
import { prepareDatabase } from "@/lib/startup";
import { articleSource, suffix, testData } from "./support/fixtures";

/** content/articles -> Article, ArticleVersion and Paragraph rows, idempotently. */

let db: Db;
let data: ReturnType<typeof testData>;

beforeAll(async () => {
  db = await prepareDatabase(); // loads content/articles once, as the app does at start
  data = testData(db);
});

afterAll(async () => {
  await data?.cleanup();
});

const versionsOf = (slug: string) =>
  db.articleVersion.findMany({
    where: { article: { slug } },
    orderBy: { number: "asc" },
    select: {
      id: true,
      number: true,
      contentHash: true,
      title: true,
      frontmatter: true,
      paragraphs: { orderBy: { position: "asc" }, select: { position: true, anchorId: true, text: true } },
    },
  });

describe("loading content/articles", () => {
  it("creates exactly one version per article, however often it is loaded", async () => {
    const articles = await readArticles();
    expect(articles.length).toBeGreaterThan(0);
    const again = await loadContent(db);
    expect(again).toEqual({ created: [], unchanged: articles.map((a) => a.slug) });
    await loadContent(db);
    for (const a of articles) {
      const versions = await versionsOf(a.slug);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({ number: 1, contentHash: a.contentHash, title: a.frontmatter.title });
      expect(versions[0]!.paragraphs).toEqual(a.paragraphs);
    }
  });

  it("stores the Moscow Times article's 24 paragraphs with their anchors", async () => {
    const [v] = await versionsOf("western-hostility-to-russian-exiles-plays-into-putins-hands");
    expect(v!.paragraphs).toHaveLength(24);
    expect(v!.frontmatter).toMatchObject({ publisher: "The Moscow Times", section: "Opinion" });
  });
});

describe("loading a changed article", () => {
  const slug = `test-load-${suffix()}`;
  const original = ["First paragraph, unchanged.", "Second paragraph, about to change.", "Third paragraph, unchanged."];
  const changed = ["First paragraph, unchanged.", "Second paragraph, now changed.", "Third paragraph, unchanged."];
  const v1 = parseArticle(slug, articleSource("A test article", original));
  const v2 = parseArticle(slug, articleSource("A test article", changed));

  beforeAll(() => data.track(slug));

  it("creates version 1 with its paragraphs the first time, and nothing the second time", async () => {
    expect(await loadContent(db, [v1])).toEqual({ created: [slug], unchanged: [] });
    expect(await loadContent(db, [v1])).toEqual({ created: [], unchanged: [slug] });
    const versions = await versionsOf(slug);
    expect(versions.map((v) => v.number)).toEqual([1]);
    expect(versions[0]!.paragraphs).toEqual(v1.paragraphs);
  });

  it("does not create a version for a white-space-only edit", async () => {
    const spaced = parseArticle(slug, articleSource("A test article", original.map((p) => p.replace(" ", "   "))));
    expect(await loadContent(db, [spaced])).toEqual({ created: [], unchanged: [slug] });
    expect(await versionsOf(slug)).toHaveLength(1);
  });

  it("creates version 2 with the new paragraphs when a paragraph changes", async () => {
    // No contributions yet: the re-anchoring of version 1's has nothing to place.
    expect(await loadContent(db, [v2])).toEqual({
      created: [slug],
      unchanged: [],
      reanchored: { [slug]: { version: 2, exact: 0, fuzzy: 0, orphaned: 0 } },
    });
    const versions = await versionsOf(slug);
    expect(versions.map((v) => v.number)).toEqual([1, 2]);
    expect(versions[1]!.contentHash).toBe(v2.contentHash);
    expect(versions[1]!.paragraphs.map((p) => p.text)).toEqual(changed);
    // Version 1 is kept as it was: contributions made on it still point at its text.
    expect(versions[0]!.paragraphs.map((p) => p.text)).toEqual(original);
  });

  it("creates nothing when the changed article is loaded again", async () => {
    expect(await loadContent(db, [v2])).toEqual({ created: [], unchanged: [slug] });
    expect(await versionsOf(slug)).toHaveLength(2);
  });

  it("keeps the anchors of unchanged paragraphs across versions and loads", async () => {
    const [first, second] = await versionsOf(slug);
    const a1 = first!.paragraphs.map((p) => p.anchorId);
    const a2 = second!.paragraphs.map((p) => p.anchorId);
    expect(a2[0]).toBe(a1[0]);
    expect(a2[2]).toBe(a1[2]);
    expect(a2[1]).not.toBe(a1[1]);
    // …and they are what parsing the file gives, i.e. derived from the text, not from the database.
    expect(a1).toEqual(v1.paragraphs.map((p) => p.anchorId));
    expect(a2).toEqual(parseArticle(slug, articleSource("A test article", changed)).paragraphs.map((p) => p.anchorId));
  });

  it("creates a new version for a frontmatter change", async () => {
    const retitled = parseArticle(slug, articleSource("A retitled test article", changed));
    expect(await loadContent(db, [retitled])).toEqual({
      created: [slug],
      unchanged: [],
      reanchored: { [slug]: { version: 3, exact: 0, fuzzy: 0, orphaned: 0 } },
    });
    const versions = await versionsOf(slug);
    expect(versions.map((v) => [v.number, v.title])).toEqual([
      [1, "A test article"],
      [2, "A test article"],
      [3, "A retitled test article"],
    ]);
  });

  // Every process loads content/ on its first getDb(): several app processes (or workers)
  // starting at once on a fresh database load the same new article at the same moment.
  it("loads the same new article concurrently without errors or duplicate versions", async () => {
    for (let round = 0; round < 3; round++) {
      const other = `test-load-race-${suffix()}`;
      data.track(other);
      const a = parseArticle(other, articleSource("Raced", [`Only paragraph, round ${round}.`]));
      const results = await Promise.all(Array.from({ length: 5 }, () => loadContent(db, [a])));
      expect(results.flatMap((r) => r.created)).toEqual([other]);
      expect(results.flatMap((r) => r.unchanged)).toHaveLength(4);
      expect(await versionsOf(other)).toHaveLength(1);
      expect(await db.article.count({ where: { slug: other } })).toBe(1);
    }
  });
});
