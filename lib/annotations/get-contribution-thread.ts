import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { contributionSelect, type ContributionDto } from "./dto";
import { withRatings } from "./list-contributions";
import { visibleWhere } from "./threads";

export interface ContributionThread {
  /** Where it is discussed: the article and the paragraph its thread's claim is on now. */
  article: { slug: string };
  anchorId: string;
  /** From the thread's top-level contribution down to the one asked for (its last entry). */
  path: ContributionDto[];
}

/** Deeper chains than this are cut at the top (the link still opens the contribution itself). */
const MAX_PATH = 50;

/**
 * What a shared link to a contribution opens: the contribution the viewer may read (else 404,
 * as everywhere) with the replies above it up to its thread's top-level contribution. Ancestors
 * the viewer may not read come as placeholders, as they do in the thread itself.
 */
export async function getContributionThread(id: string, viewerId: string | null): Promise<ContributionThread> {
  const db = await getDb();
  const target = await db.contribution.findFirst({
    where: { id, ...visibleWhere(viewerId) },
    select: { ...contributionSelect, article: { select: { slug: true } } },
  });
  if (!target) throw notFound("Contribution");
  // The ancestors' ids, nearest first, in one recursive query on the primary key.
  const up = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE chain(id, "parentId", n) AS (
      SELECT c.id, c."parentId", 1 FROM "Contribution" c WHERE c.id = ${target.parentId}::uuid
      UNION ALL
      SELECT p.id, p."parentId", chain.n + 1 FROM "Contribution" p JOIN chain ON p.id = chain."parentId" WHERE chain.n < ${MAX_PATH}
    )
    SELECT id::text AS id FROM chain ORDER BY n DESC`;
  const ancestors = up.length
    ? await db.contribution.findMany({ where: { id: { in: up.map((r) => r.id) } }, select: contributionSelect })
    : [];
  const byId = new Map(ancestors.map((a) => [a.id, a]));
  const { article, ...row } = target;
  const rows = [...up.map((r) => byId.get(r.id)!).filter(Boolean), row];
  const path = await withRatings(db, rows, viewerId);
  return { article, anchorId: path[0]!.anchorId, path };
}
