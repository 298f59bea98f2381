import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import { contributionSelect, toDto, type ContributionDto } from "./dto";

export interface ContributionPage {
  items: ContributionDto[];
  nextCursor: string | null;
}

/**
 * One paragraph's published contributions, newest first, keyset-paged (stable while new
 * ones arrive). `covering` keeps those whose claim spans that character offset.
 */
export async function listParagraphContributions(
  slug: string,
  anchorId: string,
  opts: { cursor?: string; covering?: number; limit: number; viewerId: string | null },
): Promise<ContributionPage> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  const exists = await db.paragraph.findFirst({
    where: { anchorId, version: { articleId: article.id } },
    select: { id: true },
  });
  if (!exists) throw notFound("Paragraph");

  // Readers see what is published; authors also see their own in any status (labelled).
  const where: Prisma.ContributionWhereInput = {
    articleId: article.id,
    anchorId,
    deletedAt: null,
    ...(opts.viewerId ? { OR: [{ status: "PUBLISHED" }, { authorId: opts.viewerId }] } : { status: "PUBLISHED" }),
  };
  if (opts.covering !== undefined) {
    where.startOffset = { lte: opts.covering };
    where.endOffset = { gt: opts.covering };
  }
  const after = afterCursor(opts.cursor, "createdAt");
  if (after) where.AND = [after];
  const rows = await db.contribution.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
    select: contributionSelect,
  });
  const { page, nextCursor } = keysetPage(rows, opts.limit, (r) => [r.createdAt, r.id]);
  return { items: page.map((r) => toDto(r, opts.viewerId)), nextCursor };
}
