import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countPublishedByArticle } from "@/lib/annotations/count-published";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { articleInputSchema, articleSourceOf, type ArticleInput } from "@/lib/content/article-input";
import { createArticle } from "@/lib/content/create-article";
import { getArticle } from "@/lib/content/get-article";
import { listAdminArticles } from "@/lib/content/list-admin-articles";
import { listArticles } from "@/lib/content/list-articles";
import { loadContent } from "@/lib/content/load-content";
import { parseArticle } from "@/lib/content/parse-article";
import { previewArticle } from "@/lib/content/preview-article";
import { getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { latestVersion, suffix } from "./support/fixtures";
import { appError, moderationData, type TestUser } from "./support/moderation";

/**
 * Articles added by an admin (/admin/articles, POST /api/admin/articles): validated by the file
 * parser, stored by the file loader's own code in one transaction with an audit-log entry,
 * refused (409) for a slug an article or a content/ file already has, and never touched by a
 * later content load. Also the home page's counts (published, by kind, per article).
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let admin: TestUser;
let reader: TestUser;
let mod: TestUser;
let contentDir: string;
const fileOnlySlug = `file-only-${suffix()}`;

const input = (over: Partial<ArticleInput> = {}): ArticleInput => {
  const slug = over.slug ?? `added-${suffix()}`;
  data.track(slug);
  return articleInputSchema.parse({
    slug,
    title: "An article added by an admin",
    publisher: "The Test Gazette",
    author: "A. Writer",
    body: "The first paragraph makes a claim.\n\nThe second paragraph disputes it.\r\n\r\nA third, with “curly quotes”.",
    ...over,
  });
};

beforeAll(async () => {
  // A content directory of this file's own: one article file that is not loaded yet.
  contentDir = mkdtempSync(path.join(tmpdir(), "it-content-"));
  process.env.CONTENT_DIR = contentDir;
  writeFileSync(path.join(contentDir, `${fileOnlySlug}.md`), `---\ntitle: "Only a file"\n---\n\nA paragraph.\n`);
  db = await getDb();
  data = moderationData(db);
  admin = await data.user({ role: "ADMIN", name: "Article Admin" });
  reader = await data.user();
  mod = await data.user({ role: "MODERATOR" });
});

afterAll(async () => {
  await data?.cleanup();
  delete process.env.CONTENT_DIR;
  rmSync(contentDir, { recursive: true, force: true });
});

describe("an admin adds an article", () => {
  it("stores it exactly as the same text in a content/ file would be, marked as added here", async () => {
    const i = input();
    expect(await createArticle(admin, i)).toEqual({ slug: i.slug, title: i.title, versionNumber: 1, paragraphs: 3 });
    const asFile = parseArticle(i.slug, articleSourceOf(i));
    const stored = await db.article.findUniqueOrThrow({ where: { slug: i.slug }, include: { versions: { include: { paragraphs: { orderBy: { position: "asc" } } } } } });
    expect(stored.origin).toBe("ADMIN");
    expect(stored.versions).toHaveLength(1);
    const v = stored.versions[0]!;
    expect(v).toMatchObject({ number: 1, contentHash: asFile.contentHash, title: i.title, frontmatter: { title: i.title, publisher: "The Test Gazette", author: "A. Writer" } });
    // Nothing invented: the fields left empty are absent, not "" or made up.
    expect(Object.keys(v.frontmatter as object).sort()).toEqual(["author", "publisher", "title"]);
    expect(v.paragraphs.map((p) => ({ position: p.position, anchorId: p.anchorId, text: p.text }))).toEqual(asFile.paragraphs);
    const page = await getArticle(i.slug);
    expect(page?.paragraphs.map((p) => p.text)).toEqual(["The first paragraph makes a claim.", "The second paragraph disputes it.", "A third, with “curly quotes”."]);
  });

  it("writes one audit-log entry in the same transaction", async () => {
    const i = input();
    await createArticle(admin, i);
    const logs = await db.moderationLog.findMany({ where: { action: "ARTICLE_CREATE", actorId: admin.id, details: { path: ["slug"], equals: i.slug } } });
    expect(logs).toHaveLength(1);
    const article = await db.article.findUniqueOrThrow({ where: { slug: i.slug } });
    expect(logs[0]).toMatchObject({ actorRole: "ADMIN", contributionId: null, targetUserId: null, details: { articleId: article.id, slug: i.slug, title: i.title, version: 1, paragraphs: 3 } });
  });

  it("refuses a slug another article has (409), and changes nothing", async () => {
    const i = input();
    await createArticle(admin, i);
    const before = await db.moderationLog.count({ where: { action: "ARTICLE_CREATE" } });
    const err = await appError("conflict", () => createArticle(admin, { ...i, title: "Another title" }));
    expect(err.message).toMatch(/slug: is already taken/);
    expect(err.details?.fields).toEqual([{ field: "slug", message: expect.stringMatching(/already taken/) }]);
    expect(await db.moderationLog.count({ where: { action: "ARTICLE_CREATE" } })).toBe(before);
    expect((await latestVersion(db, i.slug)).paragraphs).toHaveLength(3);
  });

  it("refuses the slug of a content/ file, loaded or not (409)", async () => {
    const err = await appError("conflict", () => createArticle(admin, input({ slug: fileOnlySlug })));
    expect(err.message).toContain(`${fileOnlySlug}.md`);
    expect(await db.article.findUnique({ where: { slug: fileOnlySlug } })).toBeNull();
    // A file article already loaded from another directory: the database's unique slug refuses it.
    const loaded = await data.article(1);
    await appError("conflict", () => createArticle(admin, input({ slug: loaded.slug })));
    expect((await db.article.findUniqueOrThrow({ where: { slug: loaded.slug } })).origin).toBe("FILE");
  });

  it("validates the input with the parser's rules (422 naming the field)", async () => {
    const bad = (over: Record<string, unknown>) => articleInputSchema.safeParse({ slug: "ok-slug", title: "T", body: "Text.", ...over });
    expect(bad({}).success).toBe(true);
    for (const slug of ["", "Upper", "two--hyphens", "-lead", "trail-", "sp ace", "ü", "x".repeat(101)]) {
      expect(bad({ slug }).success, slug).toBe(false);
    }
    expect(bad({ title: "   " }).success).toBe(false);
    expect(bad({ title: "two\nlines" }).success).toBe(false);
    expect(bad({ body: " \n\n " }).success).toBe(false);
    expect(bad({ unknown: "x" }).success).toBe(false);
    expect(bad({ publisher: 5 }).success).toBe(false);
    const err = await appError("validation", () => createArticle(admin, input({ body: Array.from({ length: 1001 }, (_, n) => `Paragraph ${n}.`).join("\n\n") })));
    expect(err.details?.fields?.[0]?.field).toBe("body");
  });

  it("is for admins only", async () => {
    await appError("forbidden", () => createArticle(reader, input()));
    await appError("forbidden", () => createArticle(mod, input()));
    await appError("forbidden", () => listAdminArticles(reader));
    expect(() => previewArticle(reader, input())).toThrow(/Only admins/);
  });

  it("previews the paragraphs and their anchors without storing anything", async () => {
    const i = input();
    const preview = previewArticle(admin, i);
    expect(preview.paragraphs.map((p) => p.anchorId)).toEqual(parseArticle(i.slug, articleSourceOf(i)).paragraphs.map((p) => p.anchorId));
    expect(preview.frontmatter).toEqual({ title: i.title, publisher: "The Test Gazette", author: "A. Writer" });
    expect(await db.article.findUnique({ where: { slug: i.slug } })).toBeNull();
  });
});

describe("loading content/ never touches an admin's article", () => {
  it("a restart's load leaves it as it was, and a file with its slug is skipped", async () => {
    const i = input();
    await createArticle(admin, i);
    const before = await db.articleVersion.findMany({ where: { article: { slug: i.slug } } });
    // A restart: the content directory as it is.
    const restart = await loadContent(db);
    expect(restart.created).not.toContain(i.slug);
    expect(restart.skipped ?? []).not.toContain(i.slug);
    // Someone later adds a file with the same slug and different text.
    writeFileSync(path.join(contentDir, `${i.slug}.md`), `---\ntitle: "A file that came later"\n---\n\nDifferent text.\n`);
    try {
      const later = await loadContent(db);
      expect(later.skipped).toContain(i.slug);
      expect(later.created).not.toContain(i.slug);
    } finally {
      rmSync(path.join(contentDir, `${i.slug}.md`));
    }
    const after = await db.articleVersion.findMany({ where: { article: { slug: i.slug } } });
    expect(after).toEqual(before);
    expect((await db.article.findUniqueOrThrow({ where: { slug: i.slug } })).origin).toBe("ADMIN");
  });

  it("the file loader marks what it loads as coming from a file", async () => {
    expect((await db.article.findUniqueOrThrow({ where: { slug: fileOnlySlug } })).origin).toBe("FILE");
    data.track(fileOnlySlug);
  });
});

describe("the article list and its counts", () => {
  it("lists every article with its latest title, frontmatter as given, version and origin", async () => {
    const i = input({ section: "Analysis" });
    await createArticle(admin, i);
    const file = await data.article(2);
    const list = await listArticles();
    expect(list.find((a) => a.slug === i.slug)).toMatchObject({ title: i.title, versionNumber: 1, paragraphs: 3, origin: "ADMIN", frontmatter: { title: i.title, section: "Analysis" } });
    expect(list.find((a) => a.slug === file.slug)).toMatchObject({ versionNumber: 1, paragraphs: 2, origin: "FILE" });
  });

  it("counts per article and kind what readers see: published, not hidden, pending or deleted", async () => {
    const a = await data.article(2);
    const b = await data.article(1);
    const author = await data.user();
    await data.post(author, a);
    await data.post(author, a);
    await data.post(author, a, { kind: "COUNTERPOINT" });
    await data.post(author, a, { kind: "SOURCE", p: 1 });
    const hidden = await data.post(author, a, { kind: "SOURCE" });
    await decide(mod, "HIDE", [{ id: hidden.id, version: 1 }], "Not counted");
    const deleted = await data.post(author, a, { kind: "COUNTERPOINT" });
    await deleteContribution(author, deleted.id, 1);
    await db.article.update({ where: { slug: b.slug }, data: { moderationPolicy: "PRE_MODERATION" } });
    await data.post(author, b); // pending
    const counts = await countPublishedByArticle();
    expect(counts.get(a.articleId)).toEqual({ ANNOTATION: 2, COUNTERPOINT: 1, SOURCE: 1 });
    expect(counts.get(b.articleId)).toBeUndefined();
    const rows = await listAdminArticles(admin);
    expect(rows.find((r) => r.slug === a.slug)?.counts).toEqual({ ANNOTATION: 2, COUNTERPOINT: 1, SOURCE: 1 });
    expect(rows.find((r) => r.slug === b.slug)?.counts).toEqual({ ANNOTATION: 0, COUNTERPOINT: 0, SOURCE: 0 });
  });

  // On a test-sized table the planner may prefer other plans; with those ruled out, this shows the
  // index alone can answer the query (docs/decisions/0038 has the plan on 1,000,000 contributions).
  it("can answer the grouped count from the (status, deletedAt, articleId, kind) index alone", async () => {
    // Statistics and the visibility map as autovacuum keeps them on a live database.
    await db.$executeRawUnsafe('VACUUM (ANALYZE) "Contribution"');
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
      return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT "articleId", kind, count(*) FROM "Contribution" WHERE "deletedAt" IS NULL AND status = 'PUBLISHED' GROUP BY 1, 2`,
      );
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Index Only Scan using "Contribution_status_deletedAt_articleId_kind_idx"/);
  });
});
