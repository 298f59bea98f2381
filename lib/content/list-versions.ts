import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { emptyCounts, paragraphChanges, type ChangeCounts, type IndexedChange, type ParagraphChangeView } from "./paragraph-changes";

/**
 * An article's versions (GET /api/articles/<slug>/versions, the history page): number, title,
 * date, where it came from (its file or an admin) and, from the stored ParagraphLineage, what
 * became of the paragraphs of the version before. Reads are per article through the
 * (articleId, number), ParagraphLineage (toVersionId) and (toParagraphId) indexes.
 */

export interface VersionItem {
  number: number;
  title: string;
  createdAt: Date;
  source: "FILE" | "ADMIN";
  paragraphs: number;
  /** Against the version before (paragraphs of that version by what became of them, plus new ones); null for version 1. */
  changes: ChangeCounts | null;
}

/** The history page shows at most this many versions (newest first). */
export const HISTORY_MAX_VERSIONS = 100;

async function articleVersions(slug: string) {
  const db = await getDb();
  const article = await db.article.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      versions: {
        orderBy: { number: "desc" },
        select: { id: true, number: true, title: true, createdAt: true, source: true, _count: { select: { paragraphs: true } } },
      },
    },
  });
  if (!article || article.versions.length === 0) throw notFound("Article");
  return { db, article };
}

export async function listVersions(slug: string): Promise<VersionItem[]> {
  const { db, article } = await articleVersions(slug);
  const [kinds, inserted] = await Promise.all([
    db.$queryRaw<{ v: string; kind: string; n: number }[]>`
      SELECT l."toVersionId"::text AS v, lower(l.kind::text) AS kind, count(DISTINCT l."fromParagraphId")::int AS n
      FROM "ParagraphLineage" l JOIN "ArticleVersion" av ON av.id = l."toVersionId"
      WHERE av."articleId" = ${article.id}::uuid
      GROUP BY 1, 2`,
    db.$queryRaw<{ v: string; n: number }[]>`
      SELECT p."versionId"::text AS v, count(*)::int AS n
      FROM "Paragraph" p JOIN "ArticleVersion" av ON av.id = p."versionId"
      WHERE av."articleId" = ${article.id}::uuid AND av.number > 1
        AND NOT EXISTS (SELECT 1 FROM "ParagraphLineage" l WHERE l."toParagraphId" = p.id)
      GROUP BY 1`,
  ]);
  const counts = new Map<string, ChangeCounts>();
  const of = (v: string) => counts.get(v) ?? counts.set(v, emptyCounts()).get(v)!;
  for (const k of kinds) of(k.v)[k.kind as keyof ChangeCounts] = k.n;
  for (const i of inserted) of(i.v).inserted = i.n;
  return article.versions.map((v) => ({
    number: v.number,
    title: v.title,
    createdAt: v.createdAt,
    source: v.source,
    paragraphs: v._count.paragraphs,
    changes: v.number === 1 ? null : (counts.get(v.id) ?? emptyCounts()),
  }));
}

export interface HistoryEntry extends VersionItem {
  /** The changed paragraphs against the version before, with word-level diffs (empty for version 1). */
  changed: ParagraphChangeView[];
}

export interface ArticleHistory {
  slug: string;
  title: string;
  versions: HistoryEntry[];
  /** More versions exist than are shown. */
  truncated: boolean;
}

/** The history page: the newest versions, each with what changed against the one before. */
export async function articleHistory(slug: string): Promise<ArticleHistory> {
  const { db, article } = await articleVersions(slug);
  const items = await listVersions(slug);
  const shown = article.versions.slice(0, HISTORY_MAX_VERSIONS);
  // The shown versions and the one before the oldest shown: their paragraphs and the lineage between them.
  const numbers = new Set(shown.flatMap((v) => [v.number, v.number - 1]));
  const ids = article.versions.filter((v) => numbers.has(v.number)).map((v) => v.id);
  const [paragraphs, lineage] = await Promise.all([
    db.paragraph.findMany({ where: { versionId: { in: ids } }, orderBy: [{ versionId: "asc" }, { position: "asc" }], select: { id: true, versionId: true, position: true, anchorId: true, text: true } }),
    db.paragraphLineage.findMany({ where: { toVersionId: { in: shown.map((v) => v.id) } }, select: { fromParagraphId: true, toParagraphId: true, toVersionId: true, kind: true } }),
  ]);
  const byVersion = new Map<string, typeof paragraphs>();
  for (const p of paragraphs) (byVersion.get(p.versionId) ?? byVersion.set(p.versionId, []).get(p.versionId)!).push(p);
  const idOf = new Map(article.versions.map((v) => [v.number, v.id]));
  const versions = shown.map((v, i): HistoryEntry => {
    const item = items[i]!;
    const prevId = idOf.get(v.number - 1);
    if (!prevId) return { ...item, changed: [] };
    const olds = byVersion.get(prevId) ?? [];
    const news = byVersion.get(v.id) ?? [];
    const oldIndex = new Map(olds.map((p, k) => [p.id, k]));
    const newIndex = new Map(news.map((p, k) => [p.id, k]));
    const changes = new Map<number, IndexedChange>();
    const reached = new Set<number>();
    for (const l of lineage) {
      if (l.toVersionId !== v.id) continue;
      const from = oldIndex.get(l.fromParagraphId);
      if (from === undefined) continue;
      const c = changes.get(from) ?? changes.set(from, { from, kind: l.kind.toLowerCase() as IndexedChange["kind"], to: [] }).get(from)!;
      const to = l.toParagraphId ? newIndex.get(l.toParagraphId) : undefined;
      if (to !== undefined) {
        c.to.push(to);
        reached.add(to);
      }
    }
    for (const c of changes.values()) c.to.sort((a, b) => a - b);
    const inserted = news.map((_, k) => k).filter((k) => !reached.has(k));
    return { ...item, changed: paragraphChanges(olds, news, [...changes.values()], inserted) };
  });
  return { slug: article.slug, title: article.versions[0]!.title, versions, truncated: article.versions.length > shown.length };
}
