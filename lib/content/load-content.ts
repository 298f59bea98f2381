import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { publishStopwatch } from "@/lib/anchoring/publish-steps";
import { reanchorVersion, type ReanchorSummary } from "@/lib/anchoring/reanchor-version";
import type { Db, Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { isUniqueViolation } from "@/lib/db/errors";
import type { VersionSource } from "@/lib/generated/prisma/enums";
import { parseArticle, type ParsedArticle } from "./parse-article";

export const CONTENT_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "content", "articles");

/** The article files' directory: CONTENT_DIR (the e2e server points it at a copy with test articles), else content/articles. */
export function contentDir(): string {
  const dir = env().CONTENT_DIR;
  return dir ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), dir) : CONTENT_DIR;
}

/** The slugs the article files in `dir` give (`<slug>.md`), sorted, without reading them. */
export async function fileSlugs(dir = contentDir()): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(".md")).map((f) => f.replace(/\.md$/, "")).sort();
}

export async function readArticles(dir = contentDir()): Promise<ParsedArticle[]> {
  return Promise.all((await fileSlugs(dir)).map(async (slug) => parseArticle(slug, await readFile(path.join(dir, `${slug}.md`), "utf8"))));
}

export interface LoadResult {
  created: string[];
  unchanged: string[];
  /** Per slug, when a new version re-anchored the contributions of the one before. */
  reanchored?: Record<string, ReanchorSummary>;
  /** Files whose slug an admin-added article already has: never loaded over it (docs/decisions/0038). */
  skipped?: string[];
  /**
   * Files left as they are because an admin published a revision after the file was last loaded
   * and the file has not changed since (docs/decisions/0043): the admin's revision stays current.
   */
  keptAdminRevision?: string[];
}

/** Re-anchoring 100,000 contributions takes seconds; the transaction may take that long. */
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

/** The latest version of an article, as loadVersion compares and re-anchors from it. */
export interface LatestVersion {
  id: string;
  number: number;
  contentHash: string;
}

/**
 * Inside the caller's transaction: the article's next version (number + 1) with its paragraphs,
 * and, when there was a version before, every contribution of it re-anchored onto the new one
 * (lib/anchoring, docs/decisions/0029-server-side-reanchoring.md). The version insert is the
 * first statement, so a process loading the same version at the same moment waits here on the
 * unique (articleId, number) and then fails, before doing any other work. Shared by the file
 * loader below and by admin-added articles (lib/content/create-article.ts), so both are stored alike.
 */
export async function loadVersion(
  tx: Tx,
  articleId: string,
  latest: LatestVersion | null,
  a: ParsedArticle,
  /** Where the text comes from (docs/decisions/0043): the loader's files, or an admin (added or revised). */
  source: VersionSource = "FILE",
): Promise<ReanchorSummary | null> {
  const watch = publishStopwatch();
  const version = await tx.articleVersion.create({
    data: {
      articleId,
      number: (latest?.number ?? 0) + 1,
      contentHash: a.contentHash,
      title: a.frontmatter.title,
      frontmatter: a.frontmatter,
      source,
    },
  });
  const paragraphs = await tx.paragraph.createManyAndReturn({
    data: a.paragraphs.map((p) => ({ versionId: version.id, ...p })),
    select: { id: true, anchorId: true, text: true, position: true },
  });
  watch.lap("version and paragraphs");
  if (!latest) return null;
  paragraphs.sort((x, y) => x.position - y.position);
  return reanchorVersion(tx, articleId, latest, { id: version.id, number: version.number, paragraphs });
}

/**
 * Loads content/articles into the database. Idempotent: an unchanged article creates
 * nothing; a changed one gets a new ArticleVersion (number + 1) with its paragraphs, and in
 * the same transaction every contribution of the previous version is re-anchored onto it
 * (lib/anchoring, docs/decisions/0029-server-side-reanchoring.md). An article an admin added
 * (origin ADMIN) is never touched: a file with its slug is skipped, with a warning.
 *
 * A file is compared with the last version that came FROM THE FILE (source FILE), not with the
 * latest version: when an admin has published a revision since (source ADMIN), an unchanged file
 * leaves it current (reported in keptAdminRevision); a changed file becomes the next version, on
 * top of the admin's, and the file is the source again (docs/decisions/0043-article-revisions.md).
 */
export async function loadContent(db: Db, articles?: ParsedArticle[]): Promise<LoadResult> {
  const list = articles ?? (await readArticles());
  const result: LoadResult = { created: [], unchanged: [] };
  for (const a of list) {
    // An atomic insert-if-missing: several app processes may start on a fresh database at once.
    await db.article.createMany({ data: [{ slug: a.slug, origin: "FILE" }], skipDuplicates: true });
    const article = await db.article.findUniqueOrThrow({ where: { slug: a.slug }, select: { id: true, origin: true } });
    if (article.origin !== "FILE") {
      console.warn(`[content] ${a.slug}.md not loaded: an admin added an article with this slug (rename the file)`);
      (result.skipped ??= []).push(a.slug);
      continue;
    }
    const latest = await db.articleVersion.findFirst({
      where: { articleId: article.id },
      orderBy: { number: "desc" },
      select: { id: true, number: true, contentHash: true },
    });
    if (latest?.contentHash === a.contentHash) {
      result.unchanged.push(a.slug);
      continue;
    }
    if (latest) {
      const lastFromFile = await db.articleVersion.findFirst({
        where: { articleId: article.id, source: "FILE" },
        orderBy: { number: "desc" },
        select: { contentHash: true },
      });
      if (lastFromFile?.contentHash === a.contentHash) {
        console.warn(`[content] ${a.slug}.md left as it is: an admin revision (version ${latest.number}) is newer than the file; edit the file to make it the source again`);
        result.unchanged.push(a.slug);
        (result.keptAdminRevision ??= []).push(a.slug);
        continue;
      }
    }
    try {
      const summary = await db.$transaction((tx) => loadVersion(tx, article.id, latest, a), { timeout: TRANSACTION_TIMEOUT_MS });
      result.created.push(a.slug);
      if (summary) (result.reanchored ??= {})[a.slug] = summary;
    } catch (err) {
      // Another process loaded the same version at the same moment: that is fine.
      if (isUniqueViolation(err)) result.unchanged.push(a.slug);
      else throw err;
    }
  }
  return result;
}
