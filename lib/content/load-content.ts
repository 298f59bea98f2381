import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { reanchorVersion, type ReanchorSummary } from "@/lib/anchoring/reanchor-version";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { isUniqueViolation } from "@/lib/db/errors";
import { parseArticle, type ParsedArticle } from "./parse-article";

export const CONTENT_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "content", "articles");

/** The article files' directory: CONTENT_DIR (the e2e server points it at a copy with test articles), else content/articles. */
export function contentDir(): string {
  const dir = env().CONTENT_DIR;
  return dir ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), dir) : CONTENT_DIR;
}

export async function readArticles(dir = contentDir()): Promise<ParsedArticle[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".md")).sort();
  return Promise.all(
    files.map(async (f) => parseArticle(f.replace(/\.md$/, ""), await readFile(path.join(dir, f), "utf8"))),
  );
}

export interface LoadResult {
  created: string[];
  unchanged: string[];
  /** Per slug, when a new version re-anchored the contributions of the one before. */
  reanchored?: Record<string, ReanchorSummary>;
}

/** Re-anchoring 100,000 contributions takes seconds; the transaction may take that long. */
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

/**
 * Loads content/articles into the database. Idempotent: an unchanged article creates
 * nothing; a changed one gets a new ArticleVersion (number + 1) with its paragraphs, and in
 * the same transaction every contribution of the previous version is re-anchored onto it
 * (lib/anchoring, docs/decisions/0029-server-side-reanchoring.md).
 */
export async function loadContent(db: Db, articles?: ParsedArticle[]): Promise<LoadResult> {
  const list = articles ?? (await readArticles());
  const result: LoadResult = { created: [], unchanged: [] };
  for (const a of list) {
    // An atomic insert-if-missing: several app processes may start on a fresh database at once.
    await db.article.createMany({ data: [{ slug: a.slug }], skipDuplicates: true });
    const article = await db.article.findUniqueOrThrow({ where: { slug: a.slug }, select: { id: true } });
    const latest = await db.articleVersion.findFirst({
      where: { articleId: article.id },
      orderBy: { number: "desc" },
      select: { id: true, number: true, contentHash: true },
    });
    if (latest?.contentHash === a.contentHash) {
      result.unchanged.push(a.slug);
      continue;
    }
    try {
      const summary = await db.$transaction(
        async (tx) => {
          // First statement: a process loading the same version at the same moment waits here
          // on the unique (articleId, number) and then fails, before doing any other work.
          const version = await tx.articleVersion.create({
            data: {
              articleId: article.id,
              number: (latest?.number ?? 0) + 1,
              contentHash: a.contentHash,
              title: a.frontmatter.title,
              frontmatter: a.frontmatter,
            },
          });
          const paragraphs = await tx.paragraph.createManyAndReturn({
            data: a.paragraphs.map((p) => ({ versionId: version.id, ...p })),
            select: { id: true, anchorId: true, text: true, position: true },
          });
          if (!latest) return null;
          paragraphs.sort((x, y) => x.position - y.position);
          return reanchorVersion(tx, article.id, latest, { id: version.id, number: version.number, paragraphs });
        },
        { timeout: TRANSACTION_TIMEOUT_MS },
      );
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
