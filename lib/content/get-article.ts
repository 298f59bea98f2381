import { getDb } from "@/lib/db/client";
import type { Frontmatter } from "./parse-article";

export interface ArticleView {
  id: string;
  slug: string;
  versionId: string;
  versionNumber: number;
  frontmatter: Frontmatter;
  paragraphs: { id: string; anchorId: string; position: number; text: string }[];
}

export async function getArticle(slug: string): Promise<ArticleView | null> {
  const db = await getDb();
  const article = await db.article.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      versions: {
        orderBy: { number: "desc" },
        take: 1,
        select: {
          id: true,
          number: true,
          frontmatter: true,
          paragraphs: { orderBy: { position: "asc" }, select: { id: true, anchorId: true, position: true, text: true } },
        },
      },
    },
  });
  const v = article?.versions[0];
  if (!article || !v) return null;
  return {
    id: article.id,
    slug: article.slug,
    versionId: v.id,
    versionNumber: v.number,
    frontmatter: v.frontmatter as Frontmatter,
    paragraphs: v.paragraphs,
  };
}
