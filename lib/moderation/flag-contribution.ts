import { canFlag } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { FlagReason } from "@/lib/generated/prisma/enums";
import { AppError, forbidden, notFound } from "@/lib/http/errors";
import { appendLog } from "@/lib/audit/append-log";
import { moderationConfig } from "./config";

export interface FlagResult {
  flagId: string;
  autoHidden: boolean;
}

/**
 * A reader flags someone else's visible contribution. One open flag per reader per
 * contribution (a second is 409). At N open flags from distinct readers a published
 * contribution is hidden pending review, logged as AUTO_HIDE.
 */
export async function flagContribution(
  user: CurrentUser,
  contributionId: string,
  input: { reason: FlagReason; note?: string },
): Promise<FlagResult> {
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const [c] = await tx.$queryRaw<{ id: string; authorId: string; status: string; deletedAt: Date | null; version: number }[]>`
      SELECT id, "authorId", status, "deletedAt", version FROM "Contribution" WHERE id = ${contributionId}::uuid FOR UPDATE`;
    if (!c || c.deletedAt || c.status !== "PUBLISHED") throw notFound("Contribution");
    if (!canFlag(user, c)) throw forbidden("You cannot flag your own contribution.");
    const existing = await tx.flag.findUnique({
      where: { contributionId_reporterId: { contributionId, reporterId: user.id } },
      select: { id: true, status: true },
    });
    if (existing?.status === "OPEN") {
      throw new AppError("conflict", "You have already flagged this; moderators will review it.");
    }
    const flag = existing
      ? await tx.flag.update({
          where: { id: existing.id },
          data: { status: "OPEN", reason: input.reason, note: input.note ?? null, createdAt: new Date(), resolvedAt: null, resolvedById: null },
          select: { id: true },
        })
      : await tx.flag.create({
          data: { contributionId, reporterId: user.id, reason: input.reason, note: input.note ?? null },
          select: { id: true },
        });
    const open = await tx.flag.count({ where: { contributionId, status: "OPEN" } });
    const threshold = moderationConfig.autoHideFlags;
    const autoHidden = open >= threshold;
    const now = new Date();
    await tx.contribution.update({
      where: { id: contributionId },
      data: {
        openFlagCount: open,
        ...(autoHidden
          ? { status: "HIDDEN", version: { increment: 1 }, moderationReason: `Hidden automatically after ${open} reports, pending review.` }
          : {}),
      },
    });
    // Enter the queue at the first open flag; keep the original queue time after that.
    await tx.contribution.updateMany({ where: { id: contributionId, queuedAt: null }, data: { queuedAt: now } });
    await appendLog(tx, {
      actorId: user.id,
      action: "FLAG",
      contributionId,
      targetUserId: c.authorId,
      reason: input.note ? `${input.reason}: ${input.note}` : input.reason,
      details: { reason: input.reason, openFlags: open },
    });
    if (autoHidden) {
      await appendLog(tx, {
        actorId: null,
        action: "AUTO_HIDE",
        contributionId,
        targetUserId: c.authorId,
        fromStatus: "PUBLISHED",
        toStatus: "HIDDEN",
        reason: `${open} open reports (threshold ${threshold})`,
      });
    }
    return { flagId: flag.id, autoHidden };
  });
}
