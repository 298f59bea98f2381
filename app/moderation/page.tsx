import type { Metadata } from "next";
import { moderationConfig } from "@/lib/moderation/config";
import { LIMITS } from "@/lib/rate-limit/limits";
import { monthlyStats } from "@/lib/moderation/monthly-stats";

// Rendered per request from the database (there is no database at build time).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Moderation policy" };

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** The decision columns of the table, in the order a contribution meets them. */
const COLUMNS: [string, string][] = [
  ["PUBLISH", "Published after review"],
  ["AUTO_HIDE", "Hidden automatically"],
  ["HIDE", "Hidden"],
  ["REJECT", "Rejected"],
  ["KEEP", "Reviewed, kept"],
  ["RESTORE", "Restored"],
  ["REQUEUE_EDIT", "Sent back after an edit"],
  ["APPEAL_UPHELD", "Appeals upheld"],
  ["APPEAL_DENIED", "Appeals denied"],
];

function perDay(seconds: number): string {
  return seconds === 24 * 60 * 60 ? "a day" : `per ${Math.round(seconds / 60)} minutes`;
}

export default async function ModerationPolicyPage() {
  const stats = await monthlyStats(12);
  const n = moderationConfig.autoHideFlags;
  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="font-serif text-4xl font-semibold tracking-tight">Moderation policy</h1>
      <p className="mt-3 text-lg text-stone-700">
        Marginalia is for arguing carefully about what a text claims. Moderation exists to keep that possible — not to
        decide who is right.
      </p>

      <div className="mt-8 space-y-6 font-serif text-lg leading-relaxed text-stone-900">
        <section aria-labelledby="what">
          <h2 id="what" className="font-sans text-xl font-semibold">
            What gets hidden
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-6">
            <li>
              <strong>Spam</strong>: advertising, links that have nothing to do with the passage, the same text posted again
              and again.
            </li>
            <li>
              <strong>Harassment</strong>: attacks on a person — an author, a reader, anyone — instead of on a claim;
              threats; slurs; publishing someone’s private details.
            </li>
            <li>
              <strong>Off-topic</strong> contributions that are not about the passage they are attached to.
            </li>
            <li>
              Misinformation is a reason to <em>report</em> a contribution, and moderators may hide one that is clearly
              and knowingly false. Most of the time the better answer is a counterpoint with a source.
            </li>
          </ul>
          <p className="mt-3">
            <strong>Disagreement is never a reason to hide anything.</strong> A counterpoint you think is wrong, a source
            you distrust, a view you find unwelcome: answer it. Moderators apply this policy the same way whatever the
            contribution argues.
          </p>
        </section>

        <section aria-labelledby="when">
          <h2 id="when" className="font-sans text-xl font-semibold">
            Before or after publication
          </h2>
          <p className="mt-2">
            Most articles are <strong>post-moderated</strong>: what you write appears at once, and moderators look at it
            only if readers report it. Some articles are <strong>pre-moderated</strong>: new contributions, and edits to
            published ones, wait for a moderator before anyone else can see them. While it waits, the author sees theirs
            marked “Pending review”.
          </p>
        </section>

        <section aria-labelledby="reports">
          <h2 id="reports" className="font-sans text-xl font-semibold">
            Reports
          </h2>
          <p className="mt-2">
            Signed-in readers can report someone else’s contribution, choosing a reason (spam, harassment, off-topic,
            misinformation, or other, with a note). One open report per reader per contribution. When{" "}
            <strong>{n} different readers</strong> have reported a published contribution, it is hidden automatically
            until a moderator reviews it; the automatic hide is logged like any decision. A moderator then publishes it
            again (“reviewed, kept”, or restored), or hides or rejects it.
          </p>
        </section>

        <section aria-labelledby="authors">
          <h2 id="authors" className="font-sans text-xl font-semibold">
            Reasons and appeals
          </h2>
          <p className="mt-2">
            Whenever a moderator hides or rejects a contribution, they must say why, and its author sees that reason on
            their “My contributions” page. The author can appeal each decision <strong>once</strong>, with a note; a
            moderator reviews the appeal and either restores the contribution or lets the decision stand. That decision is
            final. Every decision, automatic hide, role change and suspension is recorded in an audit log that cannot be
            edited.
          </p>
        </section>

        <section aria-labelledby="limits">
          <h2 id="limits" className="font-sans text-xl font-semibold">
            Limits
          </h2>
          <p className="mt-2">
            To slow down spam and pile-ons, accounts younger than a day can post once every{" "}
            {LIMITS.postNewAccount.windowSeconds / LIMITS.postNewAccount.max} seconds and report{" "}
            {LIMITS.flagsPerDayNewAccount.max} contributions {perDay(LIMITS.flagsPerDayNewAccount.windowSeconds)}; older
            accounts can post once every {LIMITS.post.windowSeconds / LIMITS.post.max} seconds and report{" "}
            {LIMITS.flagsPerDay.max} contributions {perDay(LIMITS.flagsPerDay.windowSeconds)}. Admins can suspend an
            account that breaks this policy repeatedly, for a time or indefinitely.
          </p>
        </section>
      </div>

      <section aria-labelledby="numbers" className="mt-12">
        <h2 id="numbers" className="text-xl font-semibold">
          Moderation in numbers
        </h2>
        <p className="mt-2 text-stone-700">
          Per month (UTC), the last twelve months: contributions written, reports made, and each kind of decision. Counts
          only — no names. Each decision counts once: restoring a contribution on appeal counts as an appeal upheld,
          not also as a restore.
        </p>
        <p className="mt-2 text-xs text-stone-600 xl:hidden">The table scrolls sideways.</p>
        <div
          role="region"
          aria-labelledby="stats-caption"
          tabIndex={0}
          className="relative mt-4 overflow-x-auto rounded-lg xl:-mx-36 border border-stone-300 bg-white focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          <table className="w-full min-w-[52rem] border-collapse text-sm">
            <caption id="stats-caption" className="sr-only">
              Moderation statistics per month
            </caption>
            <thead className="bg-stone-100 text-xs text-stone-700">
              <tr>
                <th scope="col" className="px-2 py-2 text-left">Month</th>
                <th scope="col" className="px-2 py-2 text-right">Contributions</th>
                <th scope="col" className="px-2 py-2 text-right">Reports</th>
                {COLUMNS.map(([k, label]) => (
                  <th key={k} scope="col" className="px-2 py-2 text-right">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {stats.map((m) => (
                <tr key={m.month} className="border-t border-stone-200">
                  <th scope="row" className="whitespace-nowrap px-2 py-1.5 text-left font-medium">
                    {MONTH.format(new Date(`${m.month}-01T00:00:00Z`))}
                  </th>
                  <td className="px-2 py-1.5 text-right">{m.contributions}</td>
                  <td className="px-2 py-1.5 text-right">{m.flags}</td>
                  {COLUMNS.map(([k]) => (
                    <td key={k} className="px-2 py-1.5 text-right">
                      {m.decisions[k] ?? 0}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
