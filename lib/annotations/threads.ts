import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Who sees what in a thread (one definition for the lists, the counts and the replies):
 * - visible: not deleted, and published or the viewer's own;
 * - shown: visible, or a placeholder for one that is not but has a visible direct reply, so the
 *   replies keep their context ("removed by its author", "hidden by a moderator").
 */
export function visibleWhere(viewerId: string | null): Prisma.ContributionWhereInput {
  return viewerId
    ? { deletedAt: null, OR: [{ status: "PUBLISHED" }, { authorId: viewerId }] }
    : { deletedAt: null, status: "PUBLISHED" };
}

export function shownWhere(viewerId: string | null): Prisma.ContributionWhereInput {
  const visible = visibleWhere(viewerId);
  return { OR: [visible, { replies: { some: visible } }] };
}

/** The same two rules in SQL, for the alias `c` (a "Contribution" row). */
export function visibleSql(alias: string, viewerId: string | null): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return viewerId
    ? Prisma.sql`(${a}."deletedAt" IS NULL AND (${a}.status = 'PUBLISHED' OR ${a}."authorId" = ${viewerId}::uuid))`
    : Prisma.sql`(${a}."deletedAt" IS NULL AND ${a}.status = 'PUBLISHED')`;
}

export function shownSql(alias: string, viewerId: string | null): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  // The reply's alias is derived from `alias`, so it never shadows the row it is correlated with.
  const reply = `${alias}_reply`;
  const r = Prisma.raw(`"${reply}"`);
  return Prisma.sql`(${visibleSql(alias, viewerId)} OR EXISTS (
    SELECT 1 FROM "Contribution" ${r} WHERE ${r}."parentId" = ${a}.id AND ${visibleSql(reply, viewerId)}))`;
}

/**
 * Whether the viewer can reach the contribution `alias` by opening threads: it is visible, and
 * every contribution above it is shown (listed, or a placeholder that lists its replies). Its
 * parent always is (it has a visible reply: this one); a chain of two removed ones above it
 * hides it, as the lists do (docs/decisions/0033). Used where one row is found without its
 * thread: the search.
 */
export function reachableSql(alias: string, viewerId: string | null): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`(${visibleSql(alias, viewerId)} AND (${a}."parentId" IS NULL OR NOT EXISTS (
    WITH RECURSIVE up(id, "parentId") AS (
      SELECT p.id, p."parentId" FROM "Contribution" p WHERE p.id = ${a}."parentId"
      UNION ALL
      SELECT p.id, p."parentId" FROM "Contribution" p JOIN up ON p.id = up."parentId"
    )
    SELECT 1 FROM "Contribution" up_c JOIN up ON up_c.id = up.id WHERE NOT ${shownSql("up_c", viewerId)})))`;
}

/** For each of `ids`, how many direct replies the viewer is shown (one grouped query on the parentId index). */
export async function replyCounts(db: Db, ids: string[], viewerId: string | null): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<{ parentId: string; n: number }[]>`
    SELECT c."parentId"::text AS "parentId", count(*)::int AS n
    FROM "Contribution" c
    WHERE c."parentId" = ANY(${ids}::uuid[]) AND ${shownSql("c", viewerId)}
    GROUP BY c."parentId"`;
  return new Map(rows.map((r) => [r.parentId, Number(r.n)]));
}
