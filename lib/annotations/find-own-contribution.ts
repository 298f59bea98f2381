import type { CurrentUser } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { AppError, forbidden, notFound } from "@/lib/http/errors";
import { contributionSelect, toDto } from "./dto";

/**
 * Loads a contribution for a change by `user`: 404 if missing or deleted, 403 if `allowed`
 * says no, 409 (with the current state) if the caller saw an older version.
 */
export async function findForChange(
  db: Db,
  user: CurrentUser,
  id: string,
  expectedVersion: number | undefined,
  allowed: (user: CurrentUser, c: { authorId: string; deletedAt: Date | null }) => boolean,
) {
  const c = await db.contribution.findUnique({ where: { id }, select: { ...contributionSelect, deletedAt: true, articleId: true } });
  if (!c || c.deletedAt) throw notFound("Contribution");
  if (!allowed(user, c)) throw forbidden("Only the author can change this contribution.");
  if (expectedVersion !== undefined && c.version !== expectedVersion) {
    throw new AppError("stale", "This contribution was changed since you loaded it. Review the current text and try again.", {
      current: toDto(c, user.id),
    });
  }
  return c;
}
