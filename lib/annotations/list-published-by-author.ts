import { placedAnchor } from "./links";
import { getDb } from "@/lib/db/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { visibleWhere } from "./threads";

/** A person's contribution as a profile lists it: what any reader can already see in the article. */
export interface PublicContribution {
  id: string;
  kind: "ANNOTATION" | "COUNTERPOINT" | "SOURCE";
  /** A reply (to another contribution) rather than a response to the article's text. */
  reply: boolean;
  /** The first lines of the text, raw (render with lib/text/render-body.tsx), and whether more follows. */
  excerpt: string;
  truncated: boolean;
  source: { title: string | null; domain: string | null } | null;
  article: { slug: string; title: string };
  anchorId: string;
  createdAt: string;
  edited: boolean;
}

export const EXCERPT_LINES = 3;
export const EXCERPT_CHARS = 400;

/** The first EXCERPT_LINES non-empty lines, at most EXCERPT_CHARS characters (never half a character). */
export function excerptOf(body: string): { excerpt: string; truncated: boolean } {
  const lines = body.replace(/\r\n?/g, "\n").split("\n").filter((l) => l.trim());
  let text = lines.slice(0, EXCERPT_LINES).join("\n");
  let truncated = lines.length > EXCERPT_LINES;
  if ([...text].length > EXCERPT_CHARS) {
    text = [...text].slice(0, EXCERPT_CHARS).join("").trimEnd();
    truncated = true;
  }
  return { excerpt: text, truncated };
}

/**
 * A person's contributions that every reader can see — published and not deleted, the rule of
 * the articles' own lists and counts (./threads.ts visibleWhere(null)) — newest first, keyset
 * paged on the (authorId, createdAt) index. Never what only the author or moderators see.
 */
export async function listPublishedByAuthor(authorId: string, opts: { cursor?: string; limit: number }) {
  const db = await getDb();
  const after = afterCursor(opts.cursor, "createdAt");
  const rows = await db.contribution.findMany({
    where: { authorId, ...visibleWhere(null), ...(after ? { AND: [after] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
    select: {
      id: true,
      kind: true,
      depth: true,
      body: true,
      sourceTitle: true,
      sourceDomain: true,
      sourceUrl: true,
      anchorId: true,
      placedAnchorId: true,
      createdAt: true,
      editedAt: true,
      article: { select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { title: true } } } },
    },
  });
  const { page, nextCursor } = keysetPage(rows, opts.limit, (r) => [r.createdAt, r.id]);
  const items: PublicContribution[] = page.map((r) => ({
    id: r.id,
    kind: r.kind,
    reply: r.depth > 0,
    ...excerptOf(r.body),
    source: r.sourceUrl ? { title: r.sourceTitle, domain: r.sourceDomain } : null,
    article: { slug: r.article.slug, title: r.article.versions[0]?.title ?? r.article.slug },
    anchorId: placedAnchor(r),
    createdAt: r.createdAt.toISOString(),
    edited: r.editedAt !== null,
  }));
  return { items, nextCursor };
}

/** How many of a person's contributions every reader can see (the same rule). */
export async function countPublishedByAuthor(authorId: string): Promise<number> {
  const db = await getDb();
  return db.contribution.count({ where: { authorId, ...visibleWhere(null) } });
}
