import Link from "next/link";
import { listArticleFiles } from "@/lib/content/list-article-files";

// Built from content/ at build time: the list changes only with a deployment.
export const dynamic = "force-static";

export default async function HomePage() {
  const articles = await listArticleFiles();
  return (
    <div className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="font-serif text-4xl font-semibold tracking-tight">Articles</h1>
      <p className="mt-3 text-lg text-stone-700">
        Select a claim in any paragraph and attach an annotation, a counterpoint or a source.
      </p>
      <ul className="mt-10 space-y-8">
        {articles.map((a) => (
          <li key={a.slug}>
            <article>
              <p className="text-sm font-medium uppercase tracking-wide text-accent">
                {[a.section, a.publisher].filter(Boolean).join(" · ")}
              </p>
              <h2 className="mt-1 font-serif text-2xl font-semibold leading-snug">
                <Link href={`/articles/${a.slug}`} className="hover:underline">
                  {a.title}
                </Link>
              </h2>
              <p className="mt-1 text-sm text-stone-600">{a.paragraphs} paragraphs</p>
            </article>
          </li>
        ))}
      </ul>
      {articles.length === 0 && <p className="mt-10 text-stone-700">No articles yet.</p>}
    </div>
  );
}
