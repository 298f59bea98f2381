import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Posting or replying follows the thread, unless the author turned that off (User.autoFollow):
 * one statement, run in the same transaction as the new contribution. Already following: nothing.
 */
export function autoFollowThread(db: Db, userId: string, articleId: string, rootId: string) {
  return db.$executeRaw(Prisma.sql`
    INSERT INTO "Follow" (id, "userId", "articleId", target)
    SELECT gen_random_uuid(), u.id, ${articleId}::uuid, ${`thread:${rootId}`}
    FROM "User" u WHERE u.id = ${userId}::uuid AND u."autoFollow"
    ON CONFLICT ("userId", "articleId", target) DO NOTHING`);
}
