import type { Db } from "@/lib/db/client";

/** Events read per transaction; a longer backlog takes several (the loop runs again at once). */
const BATCH = 1000;

/**
 * Turns new live events into "someone replied to you" notifications: for each reply that became
 * visible (posted and published), the author of the contribution it answers hears of it, unless
 * they wrote it. Any instance may call this: a transaction-scoped advisory lock lets one work at a
 * time, and the cursor is read and advanced in the same transaction as the inserts, so every event
 * counts once (and the unique (user, reply) key makes a republished reply add nothing).
 * Returns how many events were read (0: nothing new, or another instance is at it).
 */
export async function notifyReplies(db: Db): Promise<{ events: number; notified: number }> {
  return db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('notifier:replies')) AS ok`;
    if (!lock?.ok) return { events: 0, notified: 0 };
    const cursor = await tx.notifierCursor.upsert({ where: { name: "replies" }, update: {}, create: { name: "replies", lastEventId: 0n } });
    const [range] = await tx.$queryRaw<{ upto: bigint | null; n: number }[]>`
      SELECT max(id) AS upto, count(*)::int AS n FROM (
        SELECT id FROM "ArticleEvent" WHERE id > ${cursor.lastEventId} ORDER BY id LIMIT ${BATCH}) batch`;
    if (!range?.upto) return { events: 0, notified: 0 };
    const notified = await tx.$executeRaw`
      INSERT INTO "Notification" (id, "userId", kind, "contributionId", "createdAt")
      SELECT gen_random_uuid(), p."authorId", 'REPLY', e."contributionId", e."createdAt"
      FROM "ArticleEvent" e
      JOIN "Contribution" p ON p.id = e."parentId"
      WHERE e.id > ${cursor.lastEventId} AND e.id <= ${range.upto}
        AND e.type = 'posted' AND e.status = 'PUBLISHED' AND p."authorId" <> e."authorId"
      ON CONFLICT ("userId", "contributionId", kind) DO NOTHING`;
    await tx.notifierCursor.update({ where: { name: "replies" }, data: { lastEventId: range.upto } });
    return { events: Number(range.n), notified };
  });
}
