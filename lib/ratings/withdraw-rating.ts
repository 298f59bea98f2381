import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";

/**
 * A reader withdraws their rating (deleted; the next scoring run no longer sees it). Withdrawing
 * a rating that is not there changes nothing. A contribution that does not exist (or was
 * deleted) is 404.
 */
export async function withdrawRating(user: CurrentUser, contributionId: string): Promise<void> {
  const db = await getDb();
  const c = await db.contribution.findUnique({ where: { id: contributionId }, select: { deletedAt: true } });
  if (!c || c.deletedAt) throw notFound("Contribution");
  await db.rating.deleteMany({ where: { contributionId, raterId: user.id } });
}
