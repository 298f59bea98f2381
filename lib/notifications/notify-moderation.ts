import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/** What a moderation notification says happened to the author's contribution. */
export type ModerationOutcome = "HIDE" | "REJECT" | "PUBLISH" | "RESTORE" | "APPEAL_UPHELD" | "APPEAL_DENIED" | "UNDONE";

/**
 * Tells authors what a moderator decided on their contributions, in the decision's own
 * transaction (one statement however many). One notification per contribution, the latest
 * decision: a later one replaces the text and makes it unread again. Authors who turned these off
 * (notifyModeration) are skipped.
 */
export async function notifyModeration(tx: Tx, items: { contributionId: string; outcome: ModerationOutcome }[]): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((i) => i.contributionId);
  const outcomes = items.map((i) => i.outcome);
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO "Notification" (id, "userId", kind, "contributionId", detail, "createdAt")
    SELECT gen_random_uuid(), c."authorId", 'MODERATION', c.id, x.outcome, now()
    FROM unnest(${ids}::uuid[], ${outcomes}::text[]) AS x(id, outcome)
    JOIN "Contribution" c ON c.id = x.id
    JOIN "User" u ON u.id = c."authorId" AND u."notifyModeration"
    ON CONFLICT ("userId", "contributionId", kind) DO UPDATE SET detail = EXCLUDED.detail, "createdAt" = EXCLUDED."createdAt", "readAt" = NULL`);
}
