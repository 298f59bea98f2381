import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { countPublishedOrphans } from "@/lib/annotations/list-orphans";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { getArticle } from "@/lib/content/get-article";
import { eventCursor } from "@/lib/live/events";
import { isRouteText } from "@/lib/http/parse";
import { ArticleDiscussion } from "@/app/_components/discussion/article-discussion";
import Link from "next/link";
import { oldAnchorMap } from "@/lib/content/resolve-anchor";
import { OldAnchorRedirect } from "@/app/_components/old-anchor-redirect";

// Served from Next's cache and rebuilt in the background at most every 30 s, or at once
// after a contribution changes (lib/cache/invalidate.ts). Nothing here depends on the viewer.
export const revalidate = 30;

/** No article is rendered at build time (no database then); each is cached on first visit. */
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  const article = isRouteText(slug) ? await getArticle(slug) : null;
  return { title: article?.frontmatter.title ?? "Not found" };
}

export default async function ArticlePage({ params }: Params) {
  const { slug } = await params;
  const article = isRouteText(slug) ? await getArticle(slug) : null;
  if (!article) notFound();
  // First the stream's starting point, then the summaries: whatever happens between is replayed.
  const eventsFrom = await eventCursor(article.id);
  const [summaries, orphanCount] = await Promise.all([paragraphSummaries(article.id), countPublishedOrphans(article.id)]);
  // Links to paragraphs of older versions: where each leads now (docs/decisions/0043).
  const oldAnchors = article.versionNumber > 1 ? await oldAnchorMap(article.id) : {};
  const fm = article.frontmatter;
  return (
    <article className="mx-auto max-w-6xl px-4 py-10 sm:px-8 lg:px-10">
      <header className="max-w-[42rem]">
        {(fm.section || fm.publisher) && (
          <p className="text-sm font-semibold uppercase tracking-wider text-accent">
            {[fm.section, fm.publisher].filter(Boolean).join(" · ")}
          </p>
        )}
        <h1 className="mt-3 font-serif text-4xl font-semibold leading-tight tracking-tight text-stone-900 sm:text-5xl">
          {fm.title}
        </h1>
        {(fm.author || fm.date) && (
          <p className="mt-4 text-stone-700">{[fm.author, fm.date].filter(Boolean).join(" · ")}</p>
        )}
        {article.versionNumber > 1 && (
          <p className="mt-2 text-sm text-stone-700">
            Version {article.versionNumber} ·{" "}
            <Link href={`/articles/${article.slug}/history`} className="underline">
              History<span className="sr-only"> of this article’s versions</span>
            </Link>
          </p>
        )}
        {fm.caption && (
          <figure className="mt-8 border-l-4 border-stone-300 pl-4">
            <figcaption className="text-sm text-stone-700">
              <span className="sr-only">Photo caption: </span>
              {fm.caption}
              {fm.credit && <span className="text-stone-600"> {fm.credit}</span>}
            </figcaption>
          </figure>
        )}
        <p className="mt-6 text-sm text-stone-700">
          Select a passage to respond to a claim, or use a paragraph’s <span aria-hidden="true">“Discuss”</span> button to
          respond to the whole paragraph. ¶ links point to a paragraph.
        </p>
      </header>
      <ArticleDiscussion
        slug={article.slug}
        versionId={article.versionId}
        paragraphs={article.paragraphs.map((p) => ({ anchorId: p.anchorId, text: p.text }))}
        summaries={Object.fromEntries(summaries)}
        eventsFrom={eventsFrom}
        orphanCount={orphanCount}
      />
      <OldAnchorRedirect slug={article.slug} map={oldAnchors} />
      {fm.note && (
        <footer className="mt-6 max-w-[42rem] border-t border-stone-200 pt-4 text-sm italic text-stone-700">{fm.note}</footer>
      )}
    </article>
  );
}
