import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

const ADMIN_LOCK = 727073700;

/**
 * Serialises changes that could remove an admin (role changes, suspensions) and refuses
 * the one that would leave no active admin. Call inside the transaction that makes the change.
 */
export async function assertNotLastAdmin(tx: Tx, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_LOCK})`;
  const others = await tx.user.count({ where: { role: "ADMIN", status: "ACTIVE", id: { not: userId } } });
  if (others === 0) throw new AppError("conflict", "This is the last active admin. Make someone else an admin first.");
}
