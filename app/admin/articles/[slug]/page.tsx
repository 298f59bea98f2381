import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { revisionEditor } from "@/lib/content/revise-article";
import { AppError } from "@/lib/http/errors";
import { isRouteText } from "@/lib/http/parse";
import { NoAccess } from "@/app/_components/no-access";
import { pageFor } from "@/app/_components/role-gate";
import { RevisionForm } from "./revision-form";

// Rendered per request: it depends on who is asking and shows the current version.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Revise article" };

type Props = { params: Promise<{ slug: string }> };

export default async function ReviseArticlePage({ params }: Props) {
  const { slug } = await params;
  const admin = await pageFor(`/admin/articles/${encodeURIComponent(slug)}`, "articles");
  if (!admin) return <NoAccess who="admins" />;
  if (!isRouteText(slug)) notFound();
  let editor;
  try {
    editor = await revisionEditor(admin, slug);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <p className="text-sm">
        <Link href="/admin/articles" className="underline">
          ← All articles
        </Link>
      </p>
      <h1 className="mt-3 font-serif text-3xl font-semibold">Revise: {editor.source.fields.title}</h1>
      <p className="mt-2 text-stone-700">
        Admins only. You are editing version {editor.source.baseVersion} of{" "}
        <Link href={`/articles/${slug}`} className="underline">
          /articles/{slug}
        </Link>{" "}
        (<Link href={`/articles/${slug}/history`} className="underline">version history</Link>). Publishing makes a new version
        and moves every contribution onto it in the same step; links to changed paragraphs keep working. It is written to the
        audit log.
      </p>
      {editor.origin === "FILE" && (
        <p className="mt-3 rounded border border-amber-400 bg-amber-50 p-3 text-sm text-stone-900">
          This article comes from the file <code>content/articles/{slug}.md</code>. A revision published here stays current
          while the file is unchanged: loading the files leaves it. Once someone edits the file, the file is the source again
          and its text becomes the next version — copy your change into the file to keep it.
          {editor.versionSource === "ADMIN" && " The current version was published here."}
        </p>
      )}
      <RevisionForm slug={slug} source={editor.source} />
    </div>
  );
}
