import type { Metadata } from "next";
import Link from "next/link";
import { canManageUsers } from "@/lib/auth/permissions";
import { listArticles } from "@/lib/content/list-articles";
import { lenientQuery, type SearchParams } from "@/lib/http/parse";
import { listArticlePolicies } from "@/lib/moderation/list-article-policies";
import { listQueue } from "@/lib/moderation/list-queue";
import { queueQuerySchema } from "@/lib/moderation/schemas";
import { MAX_SEARCH_QUERY } from "@/lib/search/config";
import { age, FLAG_REASON_LABEL, FLAG_REASONS, formatUtc, KIND_SHORT, STATUS_LABEL } from "@/app/_components/labels";
import { NoAccess } from "@/app/_components/no-access";
import { ArticlePolicies } from "./_components/article-policies";
import { pageFor } from "@/app/_components/role-gate";
import { qs } from "./_components/search-params";
import { ModerationQueue } from "./_components/queue";
import type { QueueRow } from "./_components/queue-types";

// Rendered per request: it depends on who is asking (and reads the database, which the build has not).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Moderation queue" };

type Props = { searchParams: Promise<SearchParams> };

const FILTER_KEYS = ["q", "article", "kind", "status", "reason", "author", "order"] as const;

const field =
  "mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1 text-sm text-stone-900 focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500";

const PROBLEM = {
  filters: "Some filters were not understood and were ignored.",
  cursor: "That page link is no longer valid; showing the first page.",
} as const;

export default async function QueuePage({ searchParams }: Props) {
  const user = await pageFor("/admin", "moderator");
  if (!user) return <NoAccess who="moderators" />;

  const { query, values, understood, problem: fallback } = lenientQuery(queueQuerySchema, await searchParams);
  const problem = fallback ? PROBLEM[fallback] : null;
  const page = await listQueue(user, query);
  const [articles, policies] = await Promise.all([
    listArticles(),
    canManageUsers(user) ? listArticlePolicies(user) : Promise.resolve(null),
  ]);

  const now = Date.now();
  const rows: QueueRow[] = page.items.map((i) => ({
    ...i,
    view: {
      queued: formatUtc(i.queuedAt),
      created: formatUtc(i.createdAt),
      authorAge: age(i.author.since, now),
      flagTimes: i.flags.map((f) => formatUtc(f.createdAt)),
      appealTime: i.appeal ? formatUtc(i.appeal.createdAt) : null,
      hiddenTime: i.whenHidden ? formatUtc(i.whenHidden.at) : null,
    },
  }));
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, understood ? values[k] : undefined]));
  const filtered = FILTER_KEYS.some((k) => k !== "order" && filters[k]);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <h1 className="font-serif text-3xl font-semibold">Moderation queue</h1>
      <p className="mt-2 max-w-3xl text-stone-700">
        Pending, reported and appealed contributions, {query.order === "oldest" ? "oldest" : "newest"} first. Every decision
        is logged; hiding and rejecting need a reason, which the author reads. Press <kbd className="rounded border border-stone-400 bg-stone-100 px-1 font-mono text-xs">?</kbd> for keyboard shortcuts.
      </p>

      <form method="get" action="/admin" className="mt-6 rounded-lg border border-stone-300 bg-stone-50 p-4" aria-labelledby="filters-title">
        <h2 id="filters-title" className="text-sm font-semibold uppercase tracking-wide text-stone-700">
          Filters
        </h2>
        <div className="mt-2 grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <FilterSelect className="sm:col-span-3 lg:col-span-2" id="f-article" name="article" label="Article" anyLabel="All articles" value={filters.article} options={articles.map((a) => [a.slug, a.title] as const)} />
          <FilterSelect id="f-kind" name="kind" label="Kind" anyLabel="Any kind" value={filters.kind} options={Object.entries(KIND_SHORT)} />
          <FilterSelect id="f-status" name="status" label="Status" anyLabel="Any status" value={filters.status} options={Object.entries(STATUS_LABEL)} />
          <FilterSelect id="f-reason" name="reason" label="Report reason" anyLabel="Any reason" value={filters.reason} options={FLAG_REASONS.map((r) => [r, FLAG_REASON_LABEL[r] ?? r] as const)} />
          <div>
            <label htmlFor="f-order" className="block text-sm font-medium">
              Order
            </label>
            <select id="f-order" name="order" defaultValue={filters.order ?? "oldest"} className={field}>
              <option value="oldest">Oldest first</option>
              <option value="newest">Newest first</option>
            </select>
          </div>
          <div className="sm:col-span-2 lg:col-span-2">
            <label htmlFor="f-author" className="block text-sm font-medium">
              Author name
            </label>
            <input id="f-author" name="author" type="search" defaultValue={filters.author ?? ""} maxLength={200} className={field} />
          </div>
          <div className="sm:col-span-3 lg:col-span-2">
            <label htmlFor="f-q" className="block text-sm font-medium">
              Words
            </label>
            <input id="f-q" name="q" type="search" defaultValue={filters.q ?? ""} maxLength={MAX_SEARCH_QUERY} aria-describedby="f-q-hint" className={field} />
            <p id="f-q-hint" className="mt-1 text-xs text-stone-600">
              In the text, a source&apos;s title or quote; &quot;a phrase&quot;, or, -word.
            </p>
          </div>
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button
            type="submit"
            className="rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Apply filters
          </button>
          {filtered && (
            <Link href="/admin" className="text-sm underline">
              Clear filters
            </Link>
          )}
        </div>
      </form>

      {problem && (
        <p role="status" className="mt-4 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {problem}
        </p>
      )}

      <div className="mt-6">
        <ModerationQueue items={rows} />
      </div>

      <nav aria-label="Queue pages" className="mt-6 flex flex-wrap gap-4 text-sm">
        {query.cursor && (
          <Link href={`/admin${qs(filters)}`} className="underline">
            First page
          </Link>
        )}
        {page.nextCursor && (
          <Link
            href={`/admin${qs({ ...filters, cursor: page.nextCursor })}`}
            className="rounded border border-stone-400 bg-white px-3 py-1.5 font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Next page
          </Link>
        )}
      </nav>

      {policies && (
        <section aria-labelledby="policies-title" className="mt-12 border-t border-stone-200 pt-6">
          <h2 id="policies-title" className="font-serif text-2xl font-semibold">
            Article moderation policy
          </h2>
          <p className="mt-1 max-w-3xl text-sm text-stone-700">
            Admins only. Post-moderation is the default. Switching affects new contributions and edits; what is already
            published stays published.
          </p>
          <ArticlePolicies articles={policies} />
        </section>
      )}
    </div>
  );
}

/** One labelled GET-form filter: "any" plus the given (value, label) options. */
function FilterSelect(props: {
  id: string;
  name: string;
  label: string;
  anyLabel: string;
  value: string | undefined;
  options: Iterable<readonly [string, string]>;
  className?: string;
}) {
  return (
    <div className={props.className}>
      <label htmlFor={props.id} className="block text-sm font-medium">
        {props.label}
      </label>
      <select id={props.id} name={props.name} defaultValue={props.value ?? ""} className={field}>
        <option value="">{props.anyLabel}</option>
        {[...props.options].map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
