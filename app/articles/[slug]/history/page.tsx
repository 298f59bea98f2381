import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { articleHistory, type ArticleHistory } from "@/lib/content/list-versions";
import { AppError } from "@/lib/http/errors";
import { isRouteText } from "@/lib/http/parse";
import { formatUtc } from "@/app/_components/labels";
import { ChangeItem, DiffLegend } from "./diff-view";

// Cached like the article page (nothing here depends on the viewer): rebuilt in the background at
// most every 30 s, or at once after a revision is published (lib/content/revision-cache.ts).
export const revalidate = 30;

export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

type Params = { params: Promise<{ slug: string }> };

async function load(slug: string): Promise<ArticleHistory | null> {
  if (!isRouteText(slug)) return null;
  try {
    return await articleHistory(slug);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const history = await load((await params).slug);
  return { title: history ? `History: ${history.title}` : "Not found" };
}

const SOURCE_LABEL = { FILE: "from the article file", ADMIN: "published by an admin" } as const;

export default async function HistoryPage({ params }: Params) {
  const history = await load((await params).slug);
  if (!history) notFound();
  // A deleted paragraph's entry carries its old anchor id, so /articles/<slug>/history#<old anchor> lands on it (the newest deletion wins).
  const used = new Set<string>();
  const idFor = (anchorId: string) => (used.has(anchorId) ? undefined : (used.add(anchorId), anchorId));
  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <p className="text-sm">
        <Link href={`/articles/${history.slug}`} className="underline">
          ← Back to the article
        </Link>
      </p>
      <h1 className="mt-3 font-serif text-3xl font-semibold">Version history: {history.title}</h1>
      <p className="mt-2 text-stone-700">
        Every version of this article, newest first, with the paragraphs that changed against the version before. Times are in UTC.
      </p>
      <div className="mt-3">
        <DiffLegend />
      </div>
      <ol className="mt-6 space-y-8">
        {history.versions.map((v) => (
          <li key={v.number} aria-labelledby={`version-${v.number}`}>
            <section className="rounded-lg border border-stone-300 bg-stone-50 p-4">
              <h2 id={`version-${v.number}`} className="font-serif text-xl font-semibold">
                Version {v.number}
                <span className="font-sans text-base font-normal text-stone-700">
                  {" "}
                  · {formatUtc(v.createdAt.toISOString())} · {SOURCE_LABEL[v.source]}
                </span>
              </h2>
              <p className="mt-1 text-stone-800">Title: {v.title}</p>
              {v.changes === null ? (
                <p className="mt-2 text-sm text-stone-700">The first version ({v.paragraphs} paragraphs).</p>
              ) : v.changed.length === 0 ? (
                <p className="mt-2 text-sm text-stone-700">No paragraph changed (the title or other fields did).</p>
              ) : (
                <>
                  <p className="mt-2 text-sm text-stone-700">
                    {v.changed.length} {v.changed.length === 1 ? "change" : "changes"} against version {v.number - 1}:
                  </p>
                  <ul className="mt-2 space-y-3">
                    {v.changed.map((c, i) => (
                      <ChangeItem key={i} change={c} id={c.kind === "deleted" ? idFor(c.before[0]!.anchorId) : undefined} />
                    ))}
                  </ul>
                </>
              )}
            </section>
          </li>
        ))}
      </ol>
      {history.truncated && <p className="mt-6 text-sm text-stone-700">Older versions are not shown here; GET /api/articles/{history.slug}/versions lists them all.</p>}
    </div>
  );
}
