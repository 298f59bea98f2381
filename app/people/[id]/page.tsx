import { contributionPath } from "@/lib/annotations/links";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isId, lenientQuery, type SearchParams } from "@/lib/http/parse";
import { getProfile, type Profile } from "@/lib/people/get-profile";
import { profileQuerySchema } from "@/lib/people/schemas";
import { renderBody } from "@/lib/text/render-body";
import { KIND_STYLE } from "@/app/_components/discussion/labels";
import { formatUtc, KIND_SHORT, ROLE_LABEL, shorten } from "@/app/_components/labels";

// Rendered per request (one indexed query): a hide or a deletion disappears from here at once.
// Nothing on it depends on who is asking; it shows only what any reader can see in the articles.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

const joined = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** The profile, or null for a malformed or unknown id (the page is then a 404). */
function load(id: string, cursor?: string): Promise<Profile | null> {
  return isId(id) ? getProfile(id, { cursor }) : Promise.resolve(null);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const profile = await load((await params).id);
  return { title: profile ? profile.person.name : "Not found" };
}

export default async function PersonPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { query, problem } = lenientQuery(profileQuerySchema, await searchParams);
  const profile = await load(id, query.cursor);
  if (!profile) notFound();
  const { person, contributions } = profile;
  const here = `/people/${person.id}`;

  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <header>
        <h1 className="font-serif text-3xl font-semibold">{person.name}</h1>
        <p className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-stone-700">
          <span>Joined {joined.format(new Date(`${person.joined}-01T00:00:00Z`))}</span>
          {person.role && (
            <span className="rounded border border-stone-400 bg-stone-100 px-1.5 py-0.5 text-xs font-medium text-stone-900">
              {ROLE_LABEL[person.role]}
            </span>
          )}
        </p>
        <p className="mt-1 text-stone-700">
          {person.published === 0
            ? "No published contributions."
            : `${person.published} published ${person.published === 1 ? "contribution" : "contributions"}, newest first.`}
        </p>
      </header>
      {problem && (
        <p role="status" className="mt-4 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          That page link is no longer valid; showing the newest contributions.
        </p>
      )}

      {contributions.items.length > 0 && (
        <ol className="mt-8 space-y-6" aria-label={`Contributions by ${person.name}`}>
          {contributions.items.map((c) => {
            const kind = c.reply ? (c.kind === "ANNOTATION" ? "Reply" : `${KIND_SHORT[c.kind]} reply`) : KIND_SHORT[c.kind];
            const title = shorten(c.article.title, 90);
            return (
              <li key={c.id}>
                <article aria-labelledby={`c-${c.id}`} data-contribution-id={c.id} className="rounded-lg border border-stone-300 bg-white p-4">
                  <header className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-stone-700">
                    <span className={`rounded border px-1.5 py-0.5 font-medium ${KIND_STYLE[c.kind]}`}>{kind}</span>
                    <h2 id={`c-${c.id}`} className="text-sm font-semibold text-stone-900">
                      <span className="sr-only">{kind} on </span>
                      <span className="font-serif italic">{title}</span>
                    </h2>
                    <time dateTime={c.createdAt}>{formatUtc(c.createdAt)}</time>
                    {c.edited && <span>(edited)</span>}
                  </header>
                  {c.source && (
                    <p className="mt-2 text-sm text-stone-800">
                      Source: {c.source.title ?? c.source.domain}
                      {c.source.title && c.source.domain && <span className="text-stone-600"> ({c.source.domain})</span>}
                    </p>
                  )}
                  {c.excerpt && (
                    <div className="user-text mt-2 break-words text-sm leading-relaxed text-stone-900">
                      {renderBody(c.excerpt)}
                      {c.truncated && <p aria-hidden="true">…</p>}
                    </div>
                  )}
                  <p className="mt-2 text-sm">
                    <Link href={contributionPath(c.article.slug, c.anchorId, c.id)} className="underline">
                      <span aria-hidden="true">¶ </span>See it in the article<span className="sr-only">: {title}</span>
                    </Link>
                  </p>
                </article>
              </li>
            );
          })}
        </ol>
      )}

      <nav aria-label="Pages" className="mt-8 flex gap-4 text-sm">
        {query.cursor && (
          <Link href={here} className="underline">
            Newest
          </Link>
        )}
        {contributions.nextCursor && (
          <Link
            href={`${here}?cursor=${contributions.nextCursor}`}
            className="rounded border border-stone-400 bg-white px-3 py-1.5 font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Older contributions
          </Link>
        )}
      </nav>
    </div>
  );
}
