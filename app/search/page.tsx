import type { Metadata } from "next";
import Link from "next/link";
import { listArticles } from "@/lib/content/list-articles";
import { readRankCursor } from "@/lib/http/cursor";
import { lenientQuery, type SearchParams } from "@/lib/http/parse";
import { MAX_SEARCH_QUERY } from "@/lib/search/config";
import { searchPageQuerySchema } from "@/lib/search/schemas";
import { searchContributions, type SearchPage } from "@/lib/search/search-contributions";
import { renderSnippet } from "@/lib/text/render-body";
import { currentUser } from "@/app/_components/current-user";
import { KIND_STYLE } from "@/app/_components/discussion/labels";
import { formatUtc, KIND_SHORT, shorten } from "@/app/_components/labels";

// Rendered per request: the results depend on the words (and on who asks: a reply under a
// contribution only its author can see is found by that author only, as in the thread).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Search" };

type Props = { searchParams: Promise<SearchParams> };

const field =
  "mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1.5 text-stone-900 focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500";

export default async function SearchPageView({ searchParams }: Props) {
  const { query, understood, problem: fallback } = lenientQuery(searchPageQuerySchema, await searchParams, (c) => readRankCursor(c) !== null);
  const articles = await listArticles();
  const unknownArticle = query.article !== undefined && !articles.some((a) => a.slug === query.article);
  const filters = { q: query.q, article: unknownArticle ? undefined : query.article, kind: query.kind };
  const problem = !understood
    ? `Some of the search was not understood (words are at most ${MAX_SEARCH_QUERY} characters); showing the form.`
    : unknownArticle
      ? "That article does not exist; searching every article."
      : fallback === "cursor"
        ? "That page link is no longer valid; showing the best matches first."
        : null;
  const viewer = filters.q ? await currentUser() : null;
  const page: SearchPage | null = filters.q
    ? await searchContributions({ ...filters, q: filters.q, cursor: query.cursor, viewerId: viewer?.id ?? null })
    : null;

  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="font-serif text-3xl font-semibold">Search contributions</h1>
      <p className="mt-2 text-stone-700">
        Find annotations, counterpoints and sources by their words. English words match their other forms
        (<i>exile</i> finds <i>exiles</i>); put a phrase in &quot;quotes&quot;, write <i>or</i> between alternatives, and
        -word to leave a word out.
      </p>

      <form method="get" action="/search" role="search" aria-label="Contributions" className="mt-6 rounded-lg border border-stone-300 bg-stone-50 p-4">
        <div>
          <label htmlFor="search-q" className="block text-sm font-medium">
            Words
          </label>
          <input id="search-q" name="q" type="search" defaultValue={filters.q ?? ""} maxLength={MAX_SEARCH_QUERY} className={field} />
        </div>
        <div className="mt-3 grid gap-3 sm:grid-cols-3">
          <div className="sm:col-span-2">
            <label htmlFor="search-article" className="block text-sm font-medium">
              Article
            </label>
            <select id="search-article" name="article" defaultValue={filters.article ?? ""} className={field}>
              <option value="">All articles</option>
              {articles.map((a) => (
                <option key={a.slug} value={a.slug}>
                  {a.title}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="search-kind" className="block text-sm font-medium">
              Kind
            </label>
            <select id="search-kind" name="kind" defaultValue={filters.kind ?? ""} className={field}>
              <option value="">Any kind</option>
              {Object.entries(KIND_SHORT).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button
          type="submit"
          className="mt-4 rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Search
        </button>
      </form>

      {problem && (
        <p role="status" className="mt-4 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {problem}
        </p>
      )}

      {page && filters.q && <Results page={page} words={filters.q} filters={filters} first={!query.cursor} />}
    </div>
  );
}

/** /search with these params, empty ones left out. */
function searchHref(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
  const s = q.toString();
  return s ? `/search?${s}` : "/search";
}

function Results({ page, words, filters, first }: { page: SearchPage; words: string; filters: Record<string, string | undefined>; first: boolean }) {
  if (page.items.length === 0) {
    return (
      <p role="status" className="mt-8 text-stone-800">
        {page.onlyCommonWords
          ? `“${words}” has only very common words, which are not searched. Add a more specific word.`
          : first
            ? `No published contributions match “${words}”. Try fewer or other words, or another article or kind.`
            : "No more results."}
      </p>
    );
  }
  return (
    <section aria-labelledby="results-title" className="mt-8">
      <h2 id="results-title" className="font-serif text-2xl font-semibold">
        Results for “{words}”
      </h2>
      <p className="text-sm text-stone-700">Best matches first{first ? "" : " (continued)"}.</p>
      <ol className="mt-4 space-y-5">
        {page.items.map((r) => (
          <li key={r.id} className="rounded-lg border border-stone-300 bg-white p-4" data-result-id={r.id}>
            <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-stone-700">
              <span className={`rounded border px-1.5 py-0.5 text-xs font-semibold ${KIND_STYLE[r.kind]}`}>{KIND_SHORT[r.kind]}</span>
              <span>
                by <span className="font-medium text-stone-900">{r.author.name}</span>
                {r.inReplyTo && <> in reply to {r.inReplyTo.name}</>}
              </span>
              <span aria-hidden="true">·</span>
              <time dateTime={r.createdAt}>{formatUtc(r.createdAt)}</time>
            </p>
            <p className="mt-2 leading-relaxed text-stone-900 [&_mark]:rounded-sm [&_mark]:bg-amber-200 [&_mark]:px-0.5 [&_mark]:text-stone-950">
              {renderSnippet(r.snippet)}
            </p>
            {r.source && (
              <p className="mt-1 text-sm text-stone-700">
                Source: {r.source.title ?? r.source.domain ?? "link"}
                {r.source.title && r.source.domain && <> ({r.source.domain})</>}
              </p>
            )}
            <p className="mt-2 text-sm text-stone-700">
              {r.quote ? <>On “{shorten(r.quote, 120)}” in </> : <>On the whole paragraph in </>}
              <Link href={r.href} className="font-medium text-stone-900 underline underline-offset-4">
                {r.article.title}, ¶ {r.paragraph}
              </Link>
            </p>
          </li>
        ))}
      </ol>
      <nav aria-label="Result pages" className="mt-6 flex flex-wrap gap-4 text-sm">
        {!first && (
          <Link href={searchHref(filters)} className="underline">
            First page
          </Link>
        )}
        {page.nextCursor && (
          <Link
            href={searchHref({ ...filters, cursor: page.nextCursor })}
            className="rounded border border-stone-400 bg-white px-3 py-1.5 font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            More results
          </Link>
        )}
      </nav>
    </section>
  );
}
