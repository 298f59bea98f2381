import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";

/** Events read per transaction; a longer backlog takes several (the loop runs again at once). */
const BATCH = 1000;

/**
 * Turns new live events into notifications (docs/decisions/0041): for each contribution that became
 * visible (posted and published), the author of what it answers hears of it as a reply, and
 * whoever follows its article, paragraph or thread as news; nobody hears of their own, and each
 * person's settings are respected. (Posting or replying follows the thread: lib/follows/auto-follow.ts.) Any instance may call this: a transaction-scoped advisory lock lets one work at a
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
    // Nothing new still means looking at the last minute again (a late commit, see below).
    const n = Number(range?.n ?? 0);
    const from = cursor.lastEventId;
    const upto = range?.upto ?? from;
    // The new events, and again those of the last minute: ids are taken at insert, so a transaction
    // can commit after one with a higher id that was read already (bench:sse saw it; ADR 0040).
    // Every insert below is idempotent, so reading an event twice adds nothing.
    const inRange = Prisma.sql`((e.id > ${from} AND e.id <= ${upto}) OR (e.id <= ${from} AND e."createdAt" > now() - interval '60 seconds'))`;
    // 1. The author of what a reply answers.
    const replies = await tx.$executeRaw`
      INSERT INTO "Notification" (id, "userId", kind, "contributionId", "createdAt")
      SELECT gen_random_uuid(), p."authorId", 'REPLY', e."contributionId", e."createdAt"
      FROM "ArticleEvent" e
      -- Still there (an event outlives a contribution removed with its article or account).
      JOIN "Contribution" c ON c.id = e."contributionId"
      JOIN "Contribution" p ON p.id = e."parentId"
      JOIN "User" u ON u.id = p."authorId" AND u."notifyReplies"
      WHERE ${inRange}
        AND e.type = 'posted' AND e.status = 'PUBLISHED' AND p."authorId" <> e."authorId"
      ON CONFLICT ("userId", "contributionId", kind) DO NOTHING`;
    // 2. Everyone following the article, the paragraph or the thread, once per contribution,
    //    except its author and the one it answers.
    const followed = await tx.$executeRaw`
      INSERT INTO "Notification" (id, "userId", kind, "contributionId", "createdAt")
      SELECT DISTINCT ON (f."userId", e."contributionId") gen_random_uuid(), f."userId", 'FOLLOWED', e."contributionId", e."createdAt"
      FROM "ArticleEvent" e
      JOIN "Contribution" c ON c.id = e."contributionId"
      JOIN "Follow" f ON f."articleId" = e."articleId"
        AND f.target IN ('article', 'paragraph:' || e."anchorId", 'thread:' || COALESCE(c."rootId", c.id)::text)
      JOIN "User" u ON u.id = f."userId" AND u."notifyFollowed"
      LEFT JOIN "Contribution" p ON p.id = e."parentId"
      WHERE ${inRange}
        AND e.type = 'posted' AND e.status = 'PUBLISHED' AND f."userId" <> e."authorId"
        -- A reply to the follower is a reply (step 1, under their notifyReplies), not news.
        AND p."authorId" IS DISTINCT FROM f."userId"
      ON CONFLICT ("userId", "contributionId", kind) DO NOTHING`;
    const notified = replies + followed;
    if (upto > from) await tx.notifierCursor.update({ where: { name: "replies" }, data: { lastEventId: upto } });
    return { events: n, notified };
  });
}
