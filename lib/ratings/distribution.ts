import type { Db, Tx } from "@/lib/db/client";
import type { RatingValue } from "@/lib/generated/prisma/enums";

/** How a contribution's raters rated it: shown to a reader only once they have rated (and to its author). */
export interface RatingDistribution {
  helpful: number;
  somewhat: number;
  notHelpful: number;
  total: number;
}

const empty = (): RatingDistribution => ({ helpful: 0, somewhat: 0, notHelpful: 0, total: 0 });

/** The distributions of several contributions in one grouped query (the unique index serves it). */
export async function readDistributions(db: Db | Tx, contributionIds: string[]): Promise<Map<string, RatingDistribution>> {
  const out = new Map<string, RatingDistribution>();
  if (contributionIds.length === 0) return out;
  const groups = await db.rating.groupBy({
    by: ["contributionId", "value"],
    where: { contributionId: { in: contributionIds } },
    _count: { _all: true },
  });
  for (const g of groups) {
    const d = out.get(g.contributionId) ?? empty();
    const n = g._count._all;
    const key: Record<RatingValue, keyof RatingDistribution> = { HELPFUL: "helpful", SOMEWHAT_HELPFUL: "somewhat", NOT_HELPFUL: "notHelpful" };
    d[key[g.value]] += n;
    d.total += n;
    out.set(g.contributionId, d);
  }
  return out;
}

export async function readDistribution(db: Db | Tx, contributionId: string): Promise<RatingDistribution> {
  return (await readDistributions(db, [contributionId])).get(contributionId) ?? empty();
}
