import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import type { FollowTarget } from "./schemas";

/**
 * Follows (or stops following) an article, one of its paragraphs (on the current version) or one of
 * its threads (a top-level contribution the reader can see). Idempotent either way. A target that
 * is not there is a 404, like everything else one cannot see.
 */
export async function setFollow(user: CurrentUser, slug: string, target: FollowTarget, follow: boolean): Promise<{ following: boolean }> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  if (target.startsWith("paragraph:")) {
    const anchorId = target.slice("paragraph:".length);
    const latest = await db.articleVersion.findFirst({ where: { articleId: article.id }, orderBy: { number: "desc" }, select: { id: true } });
    const p = latest && (await db.paragraph.findFirst({ where: { versionId: latest.id, anchorId }, select: { id: true } }));
    if (!p) throw notFound("Paragraph");
  } else if (target.startsWith("thread:")) {
    const id = target.slice("thread:".length);
    const c = await db.contribution.findFirst({
      where: { id, articleId: article.id, parentId: null, deletedAt: null, OR: [{ status: "PUBLISHED" }, { authorId: user.id }] },
      select: { id: true },
    });
    if (!c) throw notFound("Contribution");
  }
  if (follow) {
    await db.follow.createMany({ data: [{ userId: user.id, articleId: article.id, target }], skipDuplicates: true });
  } else {
    await db.follow.deleteMany({ where: { userId: user.id, articleId: article.id, target } });
  }
  return { following: follow };
}

/** What the reader follows on an article (the page shows Follow / Following from it). */
export async function listFollows(user: CurrentUser, slug: string): Promise<{ targets: string[] }> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  const rows = await db.follow.findMany({ where: { userId: user.id, articleId: article.id }, select: { target: true }, orderBy: { createdAt: "asc" }, take: 1000 });
  return { targets: rows.map((r) => r.target) };
}
