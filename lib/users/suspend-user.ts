import { canManageUsers } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { AppError, forbidden, notFound } from "@/lib/http/errors";
import { appendLog, type LogEntry } from "@/lib/audit/append-log";
import { assertNotLastAdmin } from "./admin-guard";

/**
 * Suspends an account until a date (or indefinitely). The session stops working at the
 * user's next request (lib/auth/session.ts reads the status every time). Optionally hides
 * all their published contributions, each hide logged.
 */
export async function suspendUser(
  admin: CurrentUser,
  userId: string,
  input: { reason: string; until?: string; hideContributions: boolean },
): Promise<{ hidden: number }> {
  if (!canManageUsers(admin)) throw forbidden("Only admins can suspend accounts.");
  if (userId === admin.id) throw new AppError("conflict", "You cannot suspend yourself.");
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
    if (!user) throw notFound("User");
    if (user.role === "ADMIN") await assertNotLastAdmin(tx, user.id);
    await tx.user.update({
      where: { id: userId },
      data: { status: "SUSPENDED", suspendedUntil: input.until ? new Date(input.until) : null, suspensionReason: input.reason },
    });
    const entries: LogEntry[] = [
      {
        actorId: admin.id,
        action: "SUSPEND",
        targetUserId: userId,
        reason: input.reason,
        details: { until: input.until ?? null, hideContributions: input.hideContributions },
      },
    ];
    let hidden = 0;
    if (input.hideContributions) {
      const rows = await tx.contribution.findMany({
        where: { authorId: userId, status: "PUBLISHED", deletedAt: null },
        select: { id: true },
      });
      hidden = rows.length;
      if (hidden) {
        await tx.contribution.updateMany({
          where: { id: { in: rows.map((r) => r.id) } },
          data: { status: "HIDDEN", version: { increment: 1 }, moderationReason: "The author's account was suspended." },
        });
        for (const r of rows) {
          entries.push({
            actorId: admin.id,
            action: "HIDE",
            contributionId: r.id,
            targetUserId: userId,
            fromStatus: "PUBLISHED",
            toStatus: "HIDDEN",
            reason: "The author's account was suspended.",
          });
        }
      }
    }
    await appendLog(tx, entries);
    return { hidden };
  });
}

export async function liftSuspension(admin: CurrentUser, userId: string): Promise<void> {
  if (!canManageUsers(admin)) throw forbidden("Only admins can lift suspensions.");
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { status: true } });
    if (!user) throw notFound("User");
    if (user.status !== "SUSPENDED") throw new AppError("conflict", "This account is not suspended.");
    await tx.user.update({ where: { id: userId }, data: { status: "ACTIVE", suspendedUntil: null, suspensionReason: null } });
    await appendLog(tx, { actorId: admin.id, action: "UNSUSPEND", targetUserId: userId });
  });
}
