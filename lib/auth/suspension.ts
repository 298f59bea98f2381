import { getDb } from "@/lib/db/client";
import { appendLog } from "@/lib/audit/append-log";

/**
 * Whether an account is suspended right now. A suspension whose end date has passed is
 * lifted here (the first time the user shows up afterwards).
 */
export async function isSuspendedNow(user: { id: string; status: string; suspendedUntil: Date | null }): Promise<boolean> {
  if (user.status !== "SUSPENDED") return false;
  if (user.suspendedUntil && user.suspendedUntil.getTime() <= Date.now()) {
    const db = await getDb();
    await db.$transaction(async (tx) => {
      const res = await tx.user.updateMany({
        where: { id: user.id, status: "SUSPENDED", suspendedUntil: { lte: new Date() } },
        data: { status: "ACTIVE", suspendedUntil: null, suspensionReason: null },
      });
      if (res.count === 1) {
        await appendLog(tx, { actorId: null, action: "UNSUSPEND", targetUserId: user.id, reason: "The suspension ended." });
      }
    });
    return false;
  }
  return true;
}
