import { contributionPath, placedAnchor } from "@/lib/annotations/links";
import { reachableSql } from "@/lib/annotations/threads";
import { getDb, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { decodeRankCursor, encodeRankCursor } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import { MARK_END, MARK_START, matchSql, SEARCH_CONFIG, SEARCH_PAGE_SIZE, tsQuerySql } from "./config";
import type { SearchQuery } from "./schemas";
import { parseHeadline, type Snippet } from "./snippet";

export interface SearchResult {
  id: string;
  kind: "ANNOTATION" | "COUNTERPOINT" | "SOURCE";
  createdAt: string;
  author: { name: string };
  article: { slug: string; title: string };
  /** The paragraph's stable anchor and its number in the article's version the contribution was written on (1-based). */
  anchorId: string;
  paragraph: number;
  /** The words of the paragraph it responds to ("" for the whole paragraph). */
  quote: string;
  /** A reply: whom it answers. */
  inReplyTo: { name: string } | null;
  source: { title: string | null; domain: string | null } | null;
  /** Where the matched words are, as plain-text pieces (rendered by lib/text/render-body.tsx). */
  snippet: Snippet;
  /** The deep link to it: the article at its paragraph. */
  href: string;
}

export interface SearchPage {
  items: SearchResult[];
  nextCursor: string | null;
  /** The words held only very common words ("the", "and"), which are not indexed: nothing can match. */
  onlyCommonWords: boolean;
}

interface Opts extends SearchQuery {
  viewerId: string | null;
  limit?: number;
}

/** ts_headline: up to two fragments of about 10-30 words around the matches. */
const HEADLINE = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * Published contributions whose words match `q` (websearch syntax: "a phrase", or, -word),
 * best first (ts_rank_cd over the weighted vector: body, then a source's title, then its quoted
 * passage), optionally of one article and one kind, keyset-paged on (rank, id). A reply is found
 * only where the viewer could open it in its thread (reachableSql), so a search never shows
 * what the paragraph list would not. Moderators search every status in the queue (listQueue).
 */
export async function searchContributions(opts: Opts): Promise<SearchPage> {
  const db = await getDb();
  const limit = opts.limit ?? SEARCH_PAGE_SIZE;
  let articleId: string | undefined;
  if (opts.article) {
    const a = await db.article.findUnique({ where: { slug: opts.article }, select: { id: true } });
    if (!a) throw notFound("Article");
    articleId = a.id;
  }
  const [{ nodes }] = await db.$queryRaw<[{ nodes: number }]>`SELECT numnode(${tsQuerySql(opts.q)})::int AS nodes`;
  if (Number(nodes) === 0) return { items: [], nextCursor: null, onlyCommonWords: true };

  const keys = await queryRanked<{ id: string; rank: string }>(
    db,
    rankedKeysSql({ q: opts.q, viewerId: opts.viewerId, articleId, kind: opts.kind, cursor: opts.cursor, limit: limit + 1 }),
  );
  const page = keys.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = keys.length > limit && last ? encodeRankCursor(last) : null;
  if (page.length === 0) return { items: [], nextCursor, onlyCommonWords: false };

  const ids = page.map((r) => r.id);
  const [rows, headlines] = await Promise.all([
    db.contribution.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        kind: true,
        createdAt: true,
        anchorId: true,
        placedAnchorId: true,
        quoteExact: true,
        wholeParagraph: true,
        sourceUrl: true,
        sourceTitle: true,
        sourceDomain: true,
        author: { select: { name: true } },
        parent: { select: { author: { select: { name: true } } } },
        paragraph: { select: { position: true } },
        article: { select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { title: true } } } },
      },
    }),
    // Only for the page: ts_headline re-parses each text.
    db.$queryRaw<{ id: string; headline: string }[]>`
      SELECT c.id::text AS id, ts_headline(${SEARCH_CONFIG}::regconfig,
               translate(concat_ws(E'\n', c.body, c."sourceTitle", c."sourceQuote"), ${MARK_START + MARK_END}, ''),
               ${tsQuerySql(opts.q)}, ${HEADLINE}) AS headline
      FROM "Contribution" c WHERE c.id = ANY(${ids}::uuid[])`,
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const snippets = new Map(headlines.map((h) => [h.id, parseHeadline(h.headline)]));
  const items = ids.flatMap((id): SearchResult[] => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        kind: r.kind,
        createdAt: r.createdAt.toISOString(),
        author: { name: r.author.name },
        article: { slug: r.article.slug, title: r.article.versions[0]?.title ?? r.article.slug },
        anchorId: placedAnchor(r),
        paragraph: r.paragraph.position + 1,
        quote: r.wholeParagraph ? "" : r.quoteExact,
        inReplyTo: r.parent ? { name: r.parent.author.name } : null,
        source: r.sourceUrl ? { title: r.sourceTitle, domain: r.sourceDomain } : null,
        snippet: snippets.get(r.id) ?? [],
        // The item itself: its paragraph's discussion opens with its thread, focused on it.
        href: contributionPath(r.article.slug, placedAnchor(r), r.id),
      },
    ];
  });
  return { items, nextCursor, onlyCommonWords: false };
}

/**
 * Runs a ranked search query (rankedKeysSql, or an EXPLAIN of it) with its settings, in one
 * transaction (docs/perf.md, "Full-text search at scale"):
 * - no JIT: the recursive thread check is estimated far above jit_above_cost, and compiling it took
 *   ~1 s on a query that then ran in milliseconds;
 * - work_mem for an exact bitmap of a common word's matches (a lossy one rechecks every row of a page).
 */
export async function queryRanked<T>(db: Db, sql: Prisma.Sql): Promise<T[]> {
  const [, , rows] = await db.$transaction([
    db.$executeRaw`SET LOCAL jit = off`,
    db.$executeRaw`SET LOCAL work_mem = '16MB'`,
    db.$queryRaw<T[]>(sql),
  ]);
  return rows;
}

/**
 * The ranked (id, rank) keys of one page: the matches by the GIN index, then what the viewer may
 * read, ranked and cut after the cursor. `OFFSET 0` keeps the match a scan of the GIN index alone:
 * flattened, the planner ANDed it with a bitmap of every published row (a 970,000-row index scan,
 * ~200 ms, at 1,000,000 contributions).
 */
export function rankedKeysSql(o: {
  q: string;
  viewerId: string | null;
  articleId?: string;
  kind?: SearchQuery["kind"];
  cursor?: string;
  limit: number;
}): Prisma.Sql {
  const article = o.articleId ? Prisma.sql`AND c."articleId" = ${o.articleId}::uuid` : Prisma.empty;
  const kind = o.kind ? Prisma.sql`AND c.kind = ${o.kind}::"ContributionKind"` : Prisma.empty;
  const k = o.cursor ? decodeRankCursor(o.cursor) : null;
  const after = k ? Prisma.sql`WHERE m.rank < ${k.rank}::real OR (m.rank = ${k.rank}::real AND m.id < ${k.id}::uuid)` : Prisma.empty;
  return Prisma.sql`
    SELECT m.id::text AS id, m.rank::text AS rank FROM (
      SELECT c.id, ts_rank_cd(c.search, ${tsQuerySql(o.q)}) AS rank
      FROM (
        SELECT x.id, x.search, x.status, x."deletedAt", x."parentId", x."authorId", x."articleId", x.kind
        FROM "Contribution" x WHERE ${matchSql("x", o.q)} OFFSET 0
      ) c
      WHERE c.status = 'PUBLISHED' AND ${reachableSql("c", o.viewerId)} ${article} ${kind}
    ) m
    ${after}
    ORDER BY m.rank DESC, m.id DESC
    LIMIT ${o.limit}`;
}
