import { getDb } from "@/lib/db/client";
import type { Frontmatter } from "./parse-article";

export interface ArticleSummary {
  slug: string;
  title: string;
  publisher?: string;
  section?: string;
  paragraphs: number;
}

export interface ArticleView {
  id: string;
  slug: string;
  versionId: string;
  versionNumber: number;
  frontmatter: Frontmatter;
  paragraphs: { id: string; anchorId: string; position: number; text: string }[];
}

/** The current (highest-numbered) version of every article. */
export async function listArticles(): Promise<ArticleSummary[]> {
  const db = await getDb();
  const articles = await db.article.findMany({
    orderBy: { slug: "asc" },
    select: {
      slug: true,
      versions: {
        orderBy: { number: "desc" },
        take: 1,
        select: { frontmatter: true, _count: { select: { paragraphs: true } } },
      },
    },
  });
  return articles.flatMap((a) => {
    const v = a.versions[0];
    if (!v) return [];
    const fm = v.frontmatter as Frontmatter;
    return [{ slug: a.slug, title: fm.title, publisher: fm.publisher, section: fm.section, paragraphs: v._count.paragraphs }];
  });
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
