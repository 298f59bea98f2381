import { getDb } from "@/lib/db/client";
import type { ArticleOrigin } from "@/lib/generated/prisma/enums";
import type { Frontmatter } from "./parse-article";

export interface ArticleListItem {
  id: string;
  slug: string;
  /** The latest version's title and frontmatter, exactly as given (file or admin form). */
  title: string;
  frontmatter: Frontmatter;
  versionNumber: number;
  /** Paragraphs in the latest version. */
  paragraphs: number;
  /** FILE: content/<slug>.md; ADMIN: added at /admin/articles. */
  origin: ArticleOrigin;
  /** ISO time the article was first stored. */
  createdAt: string;
}

/** Every article with its latest version, newest first (the home page, the admin list, the queue's filter). */
export async function listArticles(): Promise<ArticleListItem[]> {
  const db = await getDb();
  const rows = await db.article.findMany({
    orderBy: [{ createdAt: "desc" }, { slug: "asc" }],
    select: {
      id: true,
      slug: true,
      origin: true,
      createdAt: true,
      versions: { orderBy: { number: "desc" }, take: 1, select: { number: true, title: true, frontmatter: true, _count: { select: { paragraphs: true } } } },
    },
  });
  return rows.flatMap((a) => {
    const v = a.versions[0];
    if (!v) return []; // a row the loader has just inserted and not yet given a version
    return [{ id: a.id, slug: a.slug, title: v.title, frontmatter: v.frontmatter as Frontmatter, versionNumber: v.number, paragraphs: v._count.paragraphs, origin: a.origin, createdAt: a.createdAt.toISOString() }];
  });
}
