import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";

/**
 * Old anchors (docs/decisions/0043-article-revisions.md): a paragraph anchor id of any version
 * of an article resolves to its successor(s) in the current version by following
 * ParagraphLineage forward one version at a time — a split gives several, a merge one, and a
 * deleted paragraph none, with the version it was deleted in. An anchor id that several
 * versions share (the paragraph was unchanged for a while) is followed from the newest of them.
 */

export interface AnchorResolution {
  /** The anchor ids of the successor paragraphs in the current version, in reading order. */
  current: string[];
  /** The version in which the last of its successors was deleted; null while it survives. */
  deletedIn: number | null;
  /** The current version's number. */
  version: number;
}

/** GET /api/articles/<slug>/anchors/<anchorId>: at most one indexed query per version step. */
export async function resolveAnchor(slug: string, anchorId: string): Promise<AnchorResolution> {
  const db = await getDb();
  const article = await db.article.findUnique({
    where: { slug },
    select: { id: true, versions: { orderBy: { number: "asc" }, select: { id: true, number: true } } },
  });
  const current = article?.versions.at(-1);
  if (!article || !current) throw notFound("Article");
  const numberOf = new Map(article.versions.map((v) => [v.id, v.number]));
  // (versionId, anchorId) is unique and indexed: one probe per version.
  const found = await db.paragraph.findFirst({
    where: { anchorId, versionId: { in: article.versions.map((v) => v.id) } },
    orderBy: { version: { number: "desc" } },
    select: { id: true, versionId: true },
  });
  if (!found) throw notFound("Paragraph anchor");
  let frontier = [found.id];
  let at = numberOf.get(found.versionId)!;
  let deletedIn: number | null = null;
  while (at < current.number && frontier.length > 0) {
    const rows = await db.paragraphLineage.findMany({
      where: { fromParagraphId: { in: frontier } },
      select: { toParagraphId: true, toVersionId: true },
    });
    at = Math.max(...rows.map((r) => numberOf.get(r.toVersionId) ?? at + 1), at + 1);
    frontier = [...new Set(rows.flatMap((r) => (r.toParagraphId ? [r.toParagraphId] : [])))];
    if (frontier.length === 0) deletedIn = at;
  }
  if (frontier.length === 0) return { current: [], deletedIn, version: current.number };
  const ps = await db.paragraph.findMany({ where: { id: { in: frontier }, versionId: current.id }, orderBy: { position: "asc" }, select: { anchorId: true } });
  return { current: ps.map((p) => p.anchorId), deletedIn: null, version: current.number };
}

/** Where an old anchor now leads on the article page: its first successor paragraph, or the history entry of its deletion. */
export type OldAnchorTarget = { to: string } | { deletedIn: number };

/**
 * Every anchor id an older version had and the current one does not, mapped to where it leads
 * (embedded in the article page for app/_components/old-anchor-redirect.tsx). Two queries,
 * bounded by the paragraphs the article ever had.
 */
export async function oldAnchorMap(articleId: string): Promise<Record<string, OldAnchorTarget>> {
  const db = await getDb();
  const [paragraphs, lineage] = await Promise.all([
    db.$queryRaw<{ id: string; anchorId: string; position: number; number: number }[]>`
      SELECT p.id::text AS id, p."anchorId", p.position, v.number
      FROM "Paragraph" p JOIN "ArticleVersion" v ON v.id = p."versionId"
      WHERE v."articleId" = ${articleId}::uuid`,
    db.$queryRaw<{ from: string; to: string | null; number: number }[]>`
      SELECT l."fromParagraphId"::text AS "from", l."toParagraphId"::text AS "to", v.number
      FROM "ParagraphLineage" l JOIN "ArticleVersion" v ON v.id = l."toVersionId"
      WHERE v."articleId" = ${articleId}::uuid`,
  ]);
  if (paragraphs.length === 0) return {};
  const latest = Math.max(...paragraphs.map((p) => p.number));
  const byId = new Map(paragraphs.map((p) => [p.id, p]));
  const next = new Map<string, { to: string | null; number: number }[]>();
  for (const l of lineage) (next.get(l.from) ?? next.set(l.from, []).get(l.from)!).push(l);

  // Per paragraph: its successors in the current version, or the version its line ended in.
  const memo = new Map<string, { ids: string[]; deletedIn: number | null }>();
  const resolve = (id: string): { ids: string[]; deletedIn: number | null } => {
    const known = memo.get(id);
    if (known) return known;
    const p = byId.get(id)!;
    let result: { ids: string[]; deletedIn: number | null };
    if (p.number === latest) result = { ids: [id], deletedIn: null };
    else {
      const rows = next.get(id) ?? [];
      const ids = new Set<string>();
      let deletedIn = rows[0]?.number ?? p.number + 1;
      for (const r of rows) {
        if (!r.to) continue;
        const sub = resolve(r.to);
        sub.ids.forEach((x) => ids.add(x));
        if (sub.deletedIn !== null) deletedIn = Math.max(deletedIn, sub.deletedIn);
      }
      result = ids.size ? { ids: [...ids], deletedIn: null } : { ids: [], deletedIn };
    }
    memo.set(id, result);
    return result;
  };

  const currentAnchors = new Set(paragraphs.filter((p) => p.number === latest).map((p) => p.anchorId));
  const newest = new Map<string, (typeof paragraphs)[number]>();
  for (const p of paragraphs) {
    if (currentAnchors.has(p.anchorId)) continue;
    const seen = newest.get(p.anchorId);
    if (!seen || seen.number < p.number) newest.set(p.anchorId, p);
  }
  const map: Record<string, OldAnchorTarget> = {};
  for (const [anchorId, p] of newest) {
    const r = resolve(p.id);
    if (r.ids.length) {
      const first = r.ids.map((x) => byId.get(x)!).sort((a, b) => a.position - b.position)[0]!;
      map[anchorId] = { to: first.anchorId };
    } else map[anchorId] = { deletedIn: r.deletedIn! };
  }
  return map;
}
