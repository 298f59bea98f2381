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

/** The statuses that are not public: a signed-in author still reads their own (visibleSql). */
const NOT_PUBLIC = Prisma.sql`('PENDING', 'HIDDEN', 'REJECTED')`;

/**
 * How many direct replies a contribution shows (shownSql): a signed-out reader's count is stored on the
 * row (`shownReplyCount`, kept by triggers: docs/decisions/0052-stored-reply-counts.md). A signed-in
 * viewer is also shown their own replies that are not public, and a reply that is not public with such
 * a reply of theirs below it. This gives, per parent among `parentIds` (as "parentId", n), those extra
 * replies, found from the viewer's own non-public replies (the (authorId, status, parentId) index),
 * however many replies a thread holds.
 */
export function ownNonPublicRepliesSql(viewerId: string, parentIds: string[]): Prisma.Sql {
  return Prisma.sql`
    WITH own AS (
      SELECT o.id, o."parentId" FROM "Contribution" o
      WHERE o."authorId" = ${viewerId}::uuid AND o.status IN ${NOT_PUBLIC} AND o."deletedAt" IS NULL AND o."parentId" IS NOT NULL
    )
    SELECT x."parentId" AS "parentId", count(*)::int AS n
    FROM "Contribution" x
    WHERE x.id IN (SELECT id FROM own UNION SELECT "parentId" FROM own)
      AND x."parentId" = ANY(${parentIds}::uuid[])
      AND NOT (x."deletedAt" IS NULL AND x.status = 'PUBLISHED') AND x."publicReplyCount" = 0
    GROUP BY x."parentId"`;
}
