import type { Metadata } from "next";
import Link from "next/link";
import { lenientQuery, type SearchParams } from "@/lib/http/parse";
import { listLog, type LogRow } from "@/lib/moderation/list-log";
import { logQuerySchema } from "@/lib/moderation/schemas";
import { ACTION_LABEL, formatUtc, LOG_ACTIONS, ROLE_LABEL, shorten, STATUS_LABEL } from "@/app/_components/labels";
import { NoAccess } from "@/app/_components/no-access";
import { pageFor } from "@/app/_components/role-gate";
import { qs } from "../_components/search-params";

// Rendered per request: it depends on who is asking (and reads the database, which the build has not).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<SearchParams> };

const FILTER_KEYS = ["action", "contribution", "actor", "target"] as const;

/** Role changes and suspensions carry their specifics in `details`. */
function change(r: LogRow): string {
  const d = (r.details ?? {}) as { from?: string | null; to?: string; until?: string | null; hideContributions?: boolean };
  if (r.action === "ROLE_CHANGE") return `${d.from ? (ROLE_LABEL[d.from] ?? d.from) : "new account"} → ${ROLE_LABEL[d.to ?? ""] ?? d.to ?? "?"}`;
  if (r.action === "SUSPEND") {
    const until = d.until ? `until ${formatUtc(d.until)}` : "indefinitely";
    return `${until}${d.hideContributions ? ", contributions hidden" : ""}`;
  }
  if (r.action === "EXPORT") {
    const e = (r.details ?? {}) as { format?: string; status?: string; counts?: { contributions?: number } };
    return `${(e.format ?? "").toUpperCase()} · ${e.status ?? "?"}${e.counts ? ` · ${e.counts.contributions ?? 0} contributions` : ""}`;
  }
  if (r.action === "ARTICLE_CREATE") {
    const a = (r.details ?? {}) as { slug?: string; paragraphs?: number };
    return `/articles/${a.slug ?? "?"} · ${a.paragraphs ?? 0} paragraphs`;
  }
  if (r.action === "ARTICLE_REVISE") {
    const a = (r.details ?? {}) as { slug?: string; previousVersion?: number; version?: number; reanchored?: { exact?: number; fuzzy?: number; orphaned?: number } };
    const re = a.reanchored;
    return `/articles/${a.slug ?? "?"} · version ${a.previousVersion ?? "?"} → ${a.version ?? "?"}${re ? ` · re-anchored ${re.exact ?? 0} exact, ${re.fuzzy ?? 0} fuzzy, ${re.orphaned ?? 0} orphaned` : ""}`;
  }
  if (r.action === "REATTACH") {
    const d = (r.details ?? {}) as { version?: number; placed?: { exact?: string } };
    return `onto version ${d.version ?? "?"}: “${(d.placed?.exact ?? "").slice(0, 80)}”`;
  }
  if (r.fromStatus || r.toStatus) {
    const from = r.fromStatus ? (STATUS_LABEL[r.fromStatus] ?? r.fromStatus) : "—";
    const to = r.toStatus ? (STATUS_LABEL[r.toStatus] ?? r.toStatus) : "—";
    return `${from} → ${to}`;
  }
  return "";
}

const PROBLEM = {
  filters: "Some filters were not understood and were ignored.",
  cursor: "That page link is no longer valid; showing the newest entries.",
} as const;

export default async function LogPage({ searchParams }: Props) {
  const user = await pageFor("/admin/log", "moderator");
  if (!user) return <NoAccess who="moderators" />;

  const { query, values, understood, problem: fallback } = lenientQuery(logQuerySchema, await searchParams);
  const problem = fallback ? PROBLEM[fallback] : null;
  const page = await listLog(user, query);
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, understood ? values[k] : undefined]));
  const narrowed = (["contribution", "actor", "target"] as const).filter((k) => filters[k]);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <h1 className="font-serif text-3xl font-semibold">Audit log</h1>
      <p className="mt-2 max-w-3xl text-stone-700">
        Every decision, automatic hide, role change and suspension, newest first. Entries cannot be changed or deleted.
        Times are in UTC.
      </p>

      <form method="get" action="/admin/log" className="mt-6 flex flex-wrap items-end gap-3 rounded-lg border border-stone-300 bg-stone-50 p-4">
        <div>
          <label htmlFor="f-action" className="block text-sm font-medium">
            Action
          </label>
          <select
            id="f-action"
            name="action"
            defaultValue={filters.action ?? ""}
            className="mt-1 block rounded border border-stone-400 bg-white px-2 py-1 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            <option value="">All actions</option>
            {LOG_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABEL[a]}
              </option>
            ))}
          </select>
        </div>
        {narrowed.map((k) => (
          <input key={k} type="hidden" name={k} value={filters[k]} />
        ))}
        <button
          type="submit"
          className="rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Filter
        </button>
        {(filters.action || narrowed.length > 0) && (
          <Link href="/admin/log" className="text-sm underline">
            Show everything
          </Link>
        )}
      </form>
      {narrowed.length > 0 && (
        <p className="mt-3 text-sm text-stone-700">
          Showing the history of one {narrowed.includes("contribution") ? "contribution" : "person"}.{" "}
          <Link href={`/admin/log${qs({ action: filters.action })}`} className="underline">
            Show all entries
          </Link>
        </p>
      )}
      {problem && (
        <p role="status" className="mt-4 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {problem}
        </p>
      )}

      {page.items.length === 0 ? (
        <p className="mt-6 text-stone-700">No entries.</p>
      ) : (
        <>
          <p className="mt-4 text-xs text-stone-600 lg:hidden">The table scrolls sideways.</p>
          <div role="region" aria-labelledby="log-caption" tabIndex={0} className="relative mt-2 overflow-x-auto rounded-lg border border-stone-300 bg-white focus:outline-none focus:ring-2 focus:ring-amber-500">
            <table className="w-full min-w-[64rem] border-collapse text-left text-sm">
              <caption id="log-caption" className="sr-only">
                Audit log entries, newest first
              </caption>
              <thead className="bg-stone-100 text-xs uppercase tracking-wide text-stone-700">
                <tr>
                  <th scope="col" className="px-3 py-2">Time (UTC)</th>
                  <th scope="col" className="px-3 py-2">Actor</th>
                  <th scope="col" className="px-3 py-2">Action</th>
                  <th scope="col" className="px-3 py-2">Contribution</th>
                  <th scope="col" className="px-3 py-2">Person affected</th>
                  <th scope="col" className="px-3 py-2">Change</th>
                  <th scope="col" className="px-3 py-2">Reason</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.id} data-log-action={r.action} className="border-t border-stone-200 align-top">
                    <td className="whitespace-nowrap px-3 py-2">
                      <time dateTime={r.at}>{formatUtc(r.at).replace(" UTC", "")}</time>
                    </td>
                    <td className="min-w-[8rem] px-3 py-2">{r.actor ? (
                        <>
                          {r.actor.name}
                          {r.actor.role && <span className="block text-xs text-stone-600">{r.actor.role.toLowerCase()}</span>}
                        </>
                      ) : (
                        <span className="italic text-stone-600">system</span>
                      )}</td>
                    <td className="px-3 py-2 font-medium">{ACTION_LABEL[r.action] ?? r.action}</td>
                    <td className="w-[16rem] min-w-[14rem] px-3 py-2">
                      {r.contribution ? (
                        <>
                          <a href={`/articles/${r.contribution.articleSlug}#${r.contribution.anchorId}`} className="font-serif italic underline">
                            “{shorten(r.contribution.quote, 70)}”
                          </a>
                          {filters.contribution !== r.contribution.id && (
                            <Link href={`/admin/log${qs({ contribution: r.contribution.id })}`} className="mt-1 block text-xs text-stone-700 underline">
                              History<span className="sr-only"> of this contribution</span>
                            </Link>
                          )}
                        </>
                      ) : (
                        <span className="text-stone-500">—</span>
                      )}
                    </td>
                    <td className="px-3 py-2">
                      {r.target ? (
                        filters.target !== r.target.id ? (
                          <Link href={`/admin/log${qs({ target: r.target.id })}`} className="underline">
                            {r.target.name}
                          </Link>
                        ) : (
                          r.target.name
                        )
                      ) : (
                        <span className="text-stone-500">—</span>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">{change(r)}</td>
                    <td className="min-w-[12rem] break-words px-3 py-2">{r.reason ?? <span className="text-stone-500">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <nav aria-label="Log pages" className="mt-6 flex flex-wrap gap-4 text-sm">
        {query.cursor && (
          <Link href={`/admin/log${qs(filters)}`} className="underline">
            Newest entries
          </Link>
        )}
        {page.nextCursor && (
          <Link
            href={`/admin/log${qs({ ...filters, cursor: page.nextCursor })}`}
            className="rounded border border-stone-400 bg-white px-3 py-1.5 font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Older entries
          </Link>
        )}
      </nav>
    </div>
  );
}
