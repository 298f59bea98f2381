import { canAppeal } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, forbidden, notFound } from "@/lib/http/errors";
import { appendLog } from "@/lib/audit/append-log";

/** The author appeals a hide or reject, once; the appeal enters the moderation queue. */
export async function createAppeal(user: CurrentUser, contributionId: string, note: string): Promise<{ appealId: string }> {
  const db = await getDb();
  const c = await db.contribution.findUnique({
    where: { id: contributionId },
    select: { authorId: true, status: true, deletedAt: true, appeal: { select: { id: true } } },
  });
  if (!c || c.deletedAt || c.authorId !== user.id) throw notFound("Contribution");
  if (c.appeal) throw new AppError("conflict", "You have already appealed this decision; an appeal is decided once.");
  if (!canAppeal(user, { ...c, hasAppeal: false })) throw forbidden("Only a hidden or rejected contribution can be appealed.");
  try {
    return await db.$transaction(async (tx) => {
      const appeal = await tx.appeal.create({ data: { contributionId, authorId: user.id, note }, select: { id: true } });
      await appendLog(tx, {
        actorId: user.id,
        action: "APPEAL",
        contributionId,
        targetUserId: user.id,
        fromStatus: c.status,
        toStatus: c.status,
        reason: note,
      });
      // Enter the queue now, unless it is already waiting there (e.g. auto-hidden): keep its place.
      await tx.contribution.updateMany({ where: { id: contributionId, queuedAt: null }, data: { queuedAt: new Date() } });
      return { appealId: appeal.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", "You have already appealed this decision; an appeal is decided once.");
    throw err;
  }
}
