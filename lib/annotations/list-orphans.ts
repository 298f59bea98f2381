import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import { contributionSelect, type ContributionDto } from "./dto";
import { withRatings } from "./list-contributions";
import { shownWhere } from "./threads";

/** An orphan with where it was written: the paragraph as it read then, on that version. */
export interface OrphanDto extends ContributionDto {
  writtenOn: { version: number; anchorId: string; paragraph: string };
}

export interface OrphanPage {
  items: OrphanDto[];
  nextCursor: string | null;
}

/**
 * "On earlier versions of this article": the top-level contributions that re-anchoring could
 * not place on the current version (docs/decisions/0029, 0042), newest first, keyset-paged,
 * moderated and shown exactly as a paragraph's list is (published, the viewer's own, a
 * placeholder for a removed one with visible replies). Their replies open as in any thread.
 */
export async function listOrphans(slug: string, opts: { cursor?: string; limit: number; viewerId: string | null }): Promise<OrphanPage> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  const where: Prisma.ContributionWhereInput = {
    articleId: article.id,
    placedMethod: "ORPHANED",
    parentId: null,
    ...shownWhere(opts.viewerId),
  };
  const after = afterCursor(opts.cursor, "createdAt");
  if (after) where.AND = [after];
  const rows = await db.contribution.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
    select: { ...contributionSelect, paragraph: { select: { anchorId: true, text: true, version: { select: { number: true } } } } },
  });
  const { page, nextCursor } = keysetPage(rows, opts.limit, (r) => [r.createdAt, r.id]);
  const dtos = await withRatings(db, page, opts.viewerId);
  return {
    items: dtos.map((d, i) => {
      const p = page[i]!.paragraph;
      return { ...d, writtenOn: { version: p.version.number, anchorId: p.anchorId, paragraph: p.text } };
    }),
    nextCursor,
  };
}

/** How many orphans readers can see (the article page's "On earlier versions" heading). */
export async function countPublishedOrphans(articleId: string): Promise<number> {
  const db = await getDb();
  return db.contribution.count({
    where: { articleId, placedMethod: "ORPHANED", parentId: null, status: "PUBLISHED", deletedAt: null },
  });
}
