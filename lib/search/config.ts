import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Full-text search of contributions (docs/decisions/0037-full-text-search.md): the one
 * definition of the text search configuration, the page size, the longest query and the
 * markers of a snippet. The configuration must be the one the generated column
 * "Contribution".search is built with (migration 20261203150000_contribution_search).
 */
export const SEARCH_CONFIG = "english";

/** Results per page. */
export const SEARCH_PAGE_SIZE = 20;

/** The longest query accepted, in characters (a query is words, not a document). */
export const MAX_SEARCH_QUERY = 200;

/**
 * ts_headline wraps matched words in these (Unicode private-use characters, removed from the
 * text first), so the snippet travels as plain text and <mark> is added by React, never by
 * injecting the database's HTML.
 */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";

/** The parsed words: websearch syntax ("quoted phrase", or, -word), stemmed as the column is. */
export function tsQuerySql(words: string): Prisma.Sql {
  return Prisma.sql`websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${words})`;
}

/** The rows of alias `a` that match `words`: served by the GIN index "Contribution_search_idx". */
export function matchSql(alias: string, words: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(`"${alias}"`)}.search @@ ${tsQuerySql(words)}`;
}
