import type { Metadata } from "next";
import { NoAccess } from "@/app/_components/no-access";
import { pageFor } from "@/app/_components/role-gate";
import Link from "next/link";
import { canExportUnpublished, canSeeAllResearch } from "@/lib/auth/permissions";
import { listExportableArticles } from "@/lib/research/articles";
import { listExports } from "@/lib/research/jobs";
import { listStudies } from "@/lib/research/studies";
import { ResearchWorkspace } from "./_components/research-workspace";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Research exports" };

export default async function ResearchPage() {
  const user = await pageFor("/research", "researcher");
  if (!user) return <NoAccess who="researchers" />;
  const [studies, articles, exports] = await Promise.all([listStudies(user), listExportableArticles(), listExports(user, { limit: 20 })]);
  return (
    <div className="mx-auto max-w-5xl px-4 py-10">
      <div className="flex flex-wrap items-baseline justify-between gap-4">
        <h1 className="font-serif text-3xl font-semibold">Research exports</h1>
        <nav aria-label="Research" className="flex gap-4 text-sm">
          <Link href="/research/tokens" className="underline">
            API tokens
          </Link>
          <a href="/api/v1/openapi.json" className="underline">
            API description (OpenAPI)
          </a>
        </nav>
      </div>
      <p className="mt-2 max-w-3xl text-stone-700">
        Export the discussion for a study as a zip bundle: the articles and the exact paragraphs that were annotated, the
        contributions under pseudonyms, a data dictionary, a manifest with checksums and a README for whoever receives it.
        People who opted out are left out and counted. Every export is recorded in the audit log.
      </p>
      <ResearchWorkspace
        seesAll={canSeeAllResearch(user)}
        mayExportUnpublished={canExportUnpublished(user)}
        initialStudies={studies}
        articles={articles}
        initialExports={exports.items}
      />
    </div>
  );
}
