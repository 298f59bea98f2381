import { canRate } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { forbidden, notFound } from "@/lib/http/errors";
import type { RatingTag, RatingValueName } from "@/lib/ranking/config";
import { readDistribution, type RatingDistribution } from "./distribution";
import type { RateInput } from "./schemas";

export interface OwnRating {
  value: RatingValueName;
  tags: RatingTag[];
  updatedAt: string;
}

export interface RateResult {
  rating: OwnRating;
  /** Now that the reader has rated, they see how others did. */
  ratings: RatingDistribution;
}

/**
 * A signed-in reader rates someone else's published contribution; a second call changes the
 * rating (one row per rater per contribution). Hidden, pending and deleted ones are 404.
 */
export async function rateContribution(user: CurrentUser, contributionId: string, input: RateInput): Promise<RateResult> {
  const db = await getDb();
  const c = await db.contribution.findUnique({
    where: { id: contributionId },
    select: { authorId: true, status: true, deletedAt: true },
  });
  if (!c || c.deletedAt || c.status !== "PUBLISHED") throw notFound("Contribution");
  if (!canRate(user, c)) throw forbidden("You cannot rate your own contribution.");
  const row = await db.rating.upsert({
    where: { contributionId_raterId: { contributionId, raterId: user.id } },
    create: { contributionId, raterId: user.id, value: input.value, tags: input.tags },
    update: { value: input.value, tags: input.tags },
    select: { value: true, tags: true, updatedAt: true },
  });
  return {
    rating: { value: row.value, tags: row.tags as RatingTag[], updatedAt: row.updatedAt.toISOString() },
    ratings: await readDistribution(db, contributionId),
  };
}
