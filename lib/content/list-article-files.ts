import { readArticles } from "./load-content";

export interface ArticleListing {
  slug: string;
  title: string;
  publisher?: string;
  section?: string;
  paragraphs: number;
}

/** The articles in content/, read from the files (no database): for the static home page. */
export async function listArticleFiles(): Promise<ArticleListing[]> {
  const articles = await readArticles();
  return articles.map((a) => ({
    slug: a.slug,
    title: a.frontmatter.title,
    publisher: a.frontmatter.publisher,
    section: a.frontmatter.section,
    paragraphs: a.paragraphs.length,
  }));
}
