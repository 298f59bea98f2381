import { canModerate } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { AppError, forbidden, notFound } from "@/lib/http/errors";
import { appendLog } from "@/lib/audit/append-log";
import { notifyModeration } from "@/lib/notifications/notify-moderation";
import { randomUUID } from "node:crypto";
import { decide, type UndoState } from "./decide";

/**
 * Decides an open appeal. Upheld: the contribution is restored (a RESTORE decision, which
 * also closes the appeal as UPHELD). Denied: the status stays; the appeal is closed as
 * DENIED with the moderator's reason. Either way the decision is final and logged.
 */
export async function decideAppeal(
  moderator: CurrentUser,
  input: { contributionId: string; version: number; uphold: boolean; reason?: string },
): Promise<{ status: string; batch: string }> {
  if (!canModerate(moderator)) throw forbidden("Only moderators can decide appeals.");
  const db = await getDb();
  const appeal = await db.appeal.findUnique({ where: { contributionId: input.contributionId }, select: { status: true } });
  if (!appeal) throw notFound("Appeal");
  if (appeal.status !== "OPEN") throw new AppError("stale", "This appeal has already been decided.");
  if (input.uphold) {
    const [r] = await decide(moderator, "RESTORE", [{ id: input.contributionId, version: input.version }], input.reason ?? null);
    return { status: r!.toStatus, batch: r!.batch };
  }
  return db.$transaction(async (tx) => {
    const c = await tx.contribution.findUnique({
      where: { id: input.contributionId },
      select: { status: true, version: true, authorId: true, queuedAt: true, moderationReason: true, openFlagCount: true, appeal: { select: { id: true, status: true } } },
    });
    if (!c?.appeal) throw notFound("Appeal");
    if (c.appeal.status !== "OPEN") throw new AppError("stale", "This appeal has already been decided.");
    const res = await tx.contribution.updateMany({
      where: { id: input.contributionId, version: input.version },
      data: { version: { increment: 1 }, queuedAt: null, openFlagCount: 0 },
    });
    if (res.count === 0) {
      throw new AppError("stale", "This contribution changed since you loaded it. Reload and decide again.", {
        current: [{ id: input.contributionId, reason: "changed", current: { status: c.status, version: c.version } }],
      });
    }
    const closedFlags = await tx.flag.findMany({ where: { contributionId: input.contributionId, status: "OPEN" }, select: { id: true } });
    await tx.flag.updateMany({ where: { contributionId: input.contributionId, status: "OPEN" }, data: { status: "RESOLVED", resolvedAt: new Date(), resolvedById: moderator.id } });
    const undo: UndoState = {
      batch: randomUUID(),
      queuedAt: c.queuedAt?.toISOString() ?? null,
      moderationReason: c.moderationReason,
      openFlagCount: c.openFlagCount,
      flagIds: closedFlags.map((f) => f.id),
      appealId: c.appeal.id,
    };
    await tx.appeal.update({
      where: { id: c.appeal.id },
      data: { status: "DENIED", decidedAt: new Date(), decidedById: moderator.id },
    });
    await appendLog(tx, {
      actorId: moderator.id,
      action: "APPEAL_DENIED",
      contributionId: input.contributionId,
      targetUserId: c.authorId,
      fromStatus: c.status,
      toStatus: c.status,
      reason: input.reason ?? null,
      details: { undo: { ...undo } },
    });
    await notifyModeration(tx, [{ contributionId: input.contributionId, outcome: "APPEAL_DENIED" }]);
    return { status: c.status, batch: undo.batch };
  });
}
