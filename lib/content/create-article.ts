import { appendLog } from "@/lib/audit/append-log";
import { canManageArticles } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { fieldError, forbidden } from "@/lib/http/errors";
import { parseArticleInput, type ArticleInput } from "./article-input";
import { fileSlugs, loadVersion } from "./load-content";

export interface CreatedArticle {
  slug: string;
  title: string;
  versionNumber: number;
  paragraphs: number;
}

const taken = (message: string) => fieldError("slug", message, { code: "conflict", summary: `slug: ${message}` });

/**
 * An admin adds an article (docs/decisions/0038): parsed as a content/ file would be, then
 * stored by the loader's own code (loadVersion) in one transaction with its audit-log entry.
 * Marked origin ADMIN, so loading content/ never touches it. 409 when the slug is taken — by an
 * article in the database or by a file in content/ that is not loaded yet.
 */
export async function createArticle(admin: CurrentUser, input: ArticleInput): Promise<CreatedArticle> {
  if (!canManageArticles(admin)) throw forbidden("Only admins can add articles.");
  const parsed = parseArticleInput(input);
  if ((await fileSlugs()).includes(parsed.slug)) {
    throw taken(`is the slug of the article file ${parsed.slug}.md in content/; choose another`);
  }
  const db = await getDb();
  try {
    return await db.$transaction(async (tx) => {
      const article = await tx.article.create({ data: { slug: parsed.slug, origin: "ADMIN" }, select: { id: true } });
      await loadVersion(tx, article.id, null, parsed, "ADMIN");
      await appendLog(tx, {
        actorId: admin.id,
        action: "ARTICLE_CREATE",
        details: { articleId: article.id, slug: parsed.slug, title: parsed.frontmatter.title, version: 1, paragraphs: parsed.paragraphs.length, contentHash: parsed.contentHash },
      });
      return { slug: parsed.slug, title: parsed.frontmatter.title, versionNumber: 1, paragraphs: parsed.paragraphs.length };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken("is already taken by another article; choose another");
    throw err;
  }
}
