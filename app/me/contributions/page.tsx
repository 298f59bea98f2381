import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { listOwnContributions } from "@/lib/annotations/list-own-contributions";
import { ownContributionsQuerySchema } from "@/lib/annotations/schemas";
import { lenientQuery, type SearchParams } from "@/lib/http/parse";
import { renderBody } from "@/lib/text/render-body";
import { currentUser } from "@/app/_components/current-user";
import { APPEAL_STATUS_LABEL, formatUtc, KIND_SHORT, shorten } from "@/app/_components/labels";
import { StatusBadge } from "@/app/_components/moderation/status-badge";
import { AppealForm } from "./appeal-form";

// Rendered per request: it depends on who is asking (and reads the database, which the build has not).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "My contributions" };

type Props = { searchParams: Promise<SearchParams> };

const STATUS_NOTE: Record<string, string> = {
  PENDING: "Waiting for a moderator. Only you and the moderators can see it until it is published.",
  HIDDEN: "Hidden from readers. Only you can see it.",
  REJECTED: "Rejected. Only you can see it.",
};

export default async function MyContributionsPage({ searchParams }: Props) {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=%2Fme%2Fcontributions");
  const { query, problem: fallback } = lenientQuery(ownContributionsQuerySchema, await searchParams);
  const problem = fallback === "cursor" ? "That page link is no longer valid; showing your newest contributions." : null;
  const page = await listOwnContributions(user, query.cursor);

  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="font-serif text-3xl font-semibold">My contributions</h1>
      <p className="mt-2 text-stone-700">
        Everything you have written, newest first, with its moderation status. If a moderator hid or rejected something,
        the reason is shown and you can appeal once. See the{" "}
        <Link href="/moderation" className="underline">
          moderation policy
        </Link>
        .
      </p>
      {problem && (
        <p role="status" className="mt-4 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {problem}
        </p>
      )}

      {page.items.length === 0 ? (
        <p className="mt-8 text-stone-700">
          You have not written anything yet.{" "}
          <Link href="/" className="underline">
            Pick an article
          </Link>{" "}
          and select a claim to respond to.
        </p>
      ) : (
        <ol className="mt-8 space-y-6" aria-label="Your contributions, newest first">
          {page.items.map((c) => {
            const kind = KIND_SHORT[c.kind] ?? c.kind;
            return (
              <li key={c.id}>
                <article
                  aria-labelledby={`c-${c.id}-title`}
                  data-contribution-id={c.id}
                  className="rounded-lg border border-stone-300 bg-white p-4"
                >
                  <header className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-stone-700">
                    <h2 id={`c-${c.id}-title`} className="text-sm font-semibold text-stone-900">
                      {kind} on <span className="font-serif italic">{shorten(c.article.title, 70)}</span>
                    </h2>
                    <StatusBadge status={c.status} />
                    <time dateTime={c.createdAt}>{formatUtc(c.createdAt)}</time>
                  </header>
                  <blockquote className="mt-2 border-l-4 border-amber-400 bg-amber-50 px-2 py-1 font-serif text-sm italic text-stone-800">
                    “{shorten(c.quote, 200)}”
                  </blockquote>
                  <div className="user-text mt-2 break-words text-sm leading-relaxed text-stone-900">{renderBody(c.body)}</div>
                  <p className="mt-2 text-sm">
                    <Link href={`/articles/${c.article.slug}#${c.anchorId}`} className="underline">
                      See it in the article
                    </Link>
                  </p>

                  {c.status !== "PUBLISHED" && (
                    <div className="mt-3 rounded border border-stone-300 bg-stone-50 px-3 py-2 text-sm text-stone-800">
                      <p>{STATUS_NOTE[c.status] ?? ""}</p>
                      {c.moderationReason && (c.status === "HIDDEN" || c.status === "REJECTED") && (
                        <p className="mt-1">
                          <span className="font-medium">Reason: </span>
                          {c.moderationReason}
                        </p>
                      )}
                    </div>
                  )}

                  {c.appeal && (
                    <div className="mt-3 rounded border border-violet-300 bg-violet-50 px-3 py-2 text-sm text-stone-900">
                      <p>
                        <span className="font-medium">Your appeal: </span>
                        {APPEAL_STATUS_LABEL[c.appeal.status] ?? c.appeal.status}
                        {c.appeal.decidedAt && <span className="text-xs text-stone-700"> ({formatUtc(c.appeal.decidedAt)})</span>}
                      </p>
                      <p className="mt-1 whitespace-pre-line break-words text-stone-800">“{c.appeal.note}”</p>
                    </div>
                  )}
                  {c.canAppeal && <AppealForm contributionId={c.id} />}
                </article>
              </li>
            );
          })}
        </ol>
      )}

      <nav aria-label="Pages" className="mt-8 flex gap-4 text-sm">
        {query.cursor && (
          <Link href="/me/contributions" className="underline">
            Newest
          </Link>
        )}
        {page.nextCursor && (
          <Link
            href={`/me/contributions?cursor=${page.nextCursor}`}
            className="rounded border border-stone-400 bg-white px-3 py-1.5 font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Older contributions
          </Link>
        )}
      </nav>
    </div>
  );
}
