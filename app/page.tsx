import Link from "next/link";
import { homeListing } from "@/lib/cache/home-listing";
import { discussionCounts } from "@/app/_components/discussion-counts";

// Rendered per request from Next's data cache: the list and its counts are read at most every
// 30 s, and at once after an admin adds an article (lib/cache/home-listing.ts, ADR 0038).
// Nothing here depends on who is asking.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const articles = await homeListing();
  return (
    <div className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="font-serif text-4xl font-semibold tracking-tight">Articles</h1>
      <p className="mt-3 text-lg text-stone-700">
        Select a claim in any paragraph and attach an annotation, a counterpoint or a source.
      </p>
      <ul className="mt-10 space-y-8">
        {articles.map((a) => {
          const fm = a.frontmatter;
          return (
            <li key={a.slug}>
              <article aria-labelledby={`article-${a.slug}`}>
                {(fm.section || fm.publisher) && (
                  <p className="text-sm font-medium uppercase tracking-wide text-accent">
                    {[fm.section, fm.publisher].filter(Boolean).join(" · ")}
                  </p>
                )}
                <h2 id={`article-${a.slug}`} className="mt-1 font-serif text-2xl font-semibold leading-snug">
                  <Link href={`/articles/${a.slug}`} className="hover:underline">
                    {a.title}
                  </Link>
                </h2>
                {(fm.author || fm.date) && <p className="mt-1 text-stone-700">{[fm.author, fm.date].filter(Boolean).join(" · ")}</p>}
                <p className="mt-1 text-sm text-stone-600">
                  {a.paragraphs} {a.paragraphs === 1 ? "paragraph" : "paragraphs"} · <span data-discussion-counts>{discussionCounts(a.counts)}</span>
                </p>
              </article>
            </li>
          );
        })}
      </ul>
      {articles.length === 0 && <p className="mt-10 text-stone-700">No articles yet.</p>}
    </div>
  );
}
