import type { Metadata } from "next";
import Link from "next/link";
import { listAdminArticles } from "@/lib/content/list-admin-articles";
import { discussionCounts } from "@/app/_components/discussion-counts";
import { formatUtcDate } from "@/app/_components/labels";
import { NoAccess } from "@/app/_components/no-access";
import { pageFor } from "@/app/_components/role-gate";
import { ArticleForm } from "./article-form";

// Rendered per request: it depends on who is asking (and reads the database, which the build has not).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Articles" };

const ORIGIN_LABEL = { FILE: "File in content/", ADMIN: "Added here" } as const;

export default async function AdminArticlesPage() {
  const admin = await pageFor("/admin/articles", "articles");
  if (!admin) return <NoAccess who="admins" />;
  const articles = await listAdminArticles(admin);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <h1 className="font-serif text-3xl font-semibold">Articles</h1>
      <p className="mt-2 max-w-3xl text-stone-700">
        Admins only. Articles come from the files in <code>content/articles/</code> (loaded at every start; an edited file
        becomes a new version) or are added here. Loading the files never changes an article added here, and a slug that a
        file has cannot be added here. <em>Edit text</em> publishes a revision of any article: a new version, with every
        contribution moved onto it.
      </p>

      <p className="mt-4 text-xs text-stone-600 lg:hidden">The table scrolls sideways.</p>
      <div role="region" aria-labelledby="articles-caption" tabIndex={0} className="relative mt-2 overflow-x-auto rounded-lg border border-stone-300 bg-white focus:outline-none focus:ring-2 focus:ring-amber-500">
        <table className="w-full min-w-[56rem] border-collapse text-left text-sm">
          <caption id="articles-caption" className="sr-only">
            Articles, newest first
          </caption>
          <thead className="bg-stone-100 text-xs uppercase tracking-wide text-stone-700">
            <tr>
              <th scope="col" className="px-3 py-2">Title</th>
              <th scope="col" className="px-3 py-2">Slug</th>
              <th scope="col" className="px-3 py-2 text-right">Version</th>
              <th scope="col" className="px-3 py-2">From</th>
              <th scope="col" className="px-3 py-2">Added</th>
              <th scope="col" className="px-3 py-2">Published contributions</th>
              <th scope="col" className="px-3 py-2">Revise</th>
            </tr>
          </thead>
          <tbody>
            {articles.map((a) => (
              <tr key={a.slug} className="border-t border-stone-200 align-top">
                <th scope="row" className="px-3 py-2 font-serif font-semibold">
                  <Link href={`/articles/${a.slug}`} className="underline">
                    {a.title}
                  </Link>
                </th>
                <td className="px-3 py-2 font-mono text-xs">{a.slug}</td>
                <td className="px-3 py-2 text-right">{a.versionNumber}</td>
                <td className="px-3 py-2">{ORIGIN_LABEL[a.origin]}</td>
                <td className="px-3 py-2">{formatUtcDate(a.createdAt)}</td>
                <td className="px-3 py-2">{discussionCounts(a.counts)}</td>
                <td className="px-3 py-2">
                  <Link href={`/admin/articles/${a.slug}`} className="underline">
                    Edit text<span className="sr-only"> of “{a.title}”</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <ArticleForm />
    </div>
  );
}
