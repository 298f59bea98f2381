import { getDb } from "@/lib/db/client";

/** The articles a researcher can choose from: slug and latest title. */
export async function listExportableArticles(): Promise<{ slug: string; title: string }[]> {
  const db = await getDb();
  const rows = await db.article.findMany({
    orderBy: { slug: "asc" },
    take: 500,
    select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { title: true } } },
  });
  return rows.map((a) => ({ slug: a.slug, title: a.versions[0]?.title ?? a.slug }));
}
