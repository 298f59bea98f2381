import { canDeleteContribution } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { findForChange } from "./find-own-contribution";

/**
 * The author deletes their contribution. It disappears from every page and export at once;
 * the row is kept (marked deleted) so moderation history that refers to it stays intact.
 */
export async function deleteContribution(user: CurrentUser, id: string, expectedVersion?: number): Promise<void> {
  const db = await getDb();
  const c = await findForChange(db, user, id, expectedVersion, canDeleteContribution);
  const res = await db.contribution.updateMany({
    where: { id, version: c.version, deletedAt: null },
    data: { deletedAt: new Date(), version: { increment: 1 } },
  });
  if (res.count === 0) throw new AppError("stale", "This contribution was changed since you loaded it.");
}
