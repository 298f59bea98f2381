import { getDb } from "@/lib/db/client";
import { MODEL_PARAMS, RATING_VALUE, THRESHOLDS, type ModelParams, type RatingValueName, type Thresholds } from "./config";
import { fitModel, type RatingInput } from "./model";
import { statusFor } from "./status";

/**
 * The scoring job: reads every counting rating (on published, undeleted contributions), fits the
 * model, and in the same transaction records the run, replaces the current scores and appends
 * them to the history. Never called on a reader's request: the background loop (./loop.ts), the
 * operator CLI (`npm run ranking:score`) and the admin trigger run it. A PostgreSQL advisory lock
 * makes sure only one instance scores at a time; the loser returns null.
 */

/** Advisory lock id for scoring (any constant distinct from the migration runner's). */
const LOCK_ID = 20261202;

export type ScoringTrigger = "schedule" | "ratings" | "operator";

export interface ScoringRunSummary {
  id: string;
  trigger: ScoringTrigger;
  startedAt: string;
  finishedAt: string;
  ratingsCount: number;
  ratingsFitted: number;
  ratersFitted: number;
  ratersExcluded: number;
  itemsScored: number;
  helpfulCount: number;
  iterations: number;
  converged: boolean;
  durationMs: number;
}

export async function scoreContributions(
  trigger: ScoringTrigger,
  opts: { params?: ModelParams; thresholds?: Thresholds } = {},
): Promise<ScoringRunSummary | null> {
  const params = opts.params ?? MODEL_PARAMS;
  const thresholds = opts.thresholds ?? THRESHOLDS;
  const db = await getDb();
  const started = new Date();
  const t0 = performance.now();
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_ID}::bigint) AS ok`;
      if (!lock?.ok) return null;

      // A fixed order, so the same ratings always give the same fit.
      const rows = await tx.$queryRaw<{ rater: string; item: string; value: RatingValueName }[]>`
        SELECT r."raterId"::text AS rater, r."contributionId"::text AS item, r.value::text AS value
        FROM "Rating" r JOIN "Contribution" c ON c.id = r."contributionId"
        WHERE c.status = 'PUBLISHED' AND c."deletedAt" IS NULL
        ORDER BY r."contributionId", r."raterId"`;
      const ratings: RatingInput[] = rows.map((r) => ({ rater: r.rater, item: r.item, value: RATING_VALUE[r.value] }));
      const fit = fitModel(ratings, params);

      // Every item with a counting rating gets a score, also those rated only by raters outside the fit.
      const counts = new Map<string, number>();
      for (const r of ratings) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
      const fitted = new Map(fit.items.map((s) => [s.item, s]));
      const ids: string[] = [];
      const intercepts: number[] = [];
      const factors: number[] = [];
      const ratingCounts: number[] = [];
      const fitCounts: number[] = [];
      const statuses: string[] = [];
      let helpfulCount = 0;
      for (const [item, count] of counts) {
        const s = fitted.get(item) ?? { intercept: 0, factor: 0, fitRatings: 0 };
        const status = statusFor(s, thresholds);
        if (status === "HELPFUL") helpfulCount++;
        ids.push(item);
        intercepts.push(s.intercept);
        factors.push(s.factor);
        ratingCounts.push(count);
        fitCounts.push(s.fitRatings);
        statuses.push(status);
      }

      const finished = new Date();
      // What the run row stores and the caller is told alike.
      const figures = {
        ratingsCount: ratings.length,
        ratingsFitted: fit.ratingsFitted,
        ratersFitted: fit.ratersFitted,
        ratersExcluded: fit.ratersExcluded,
        itemsScored: ids.length,
        helpfulCount,
        iterations: fit.iterations,
        converged: fit.converged,
      };
      const run = await tx.scoringRun.create({
        data: {
          startedAt: started,
          finishedAt: finished,
          trigger,
          ...figures,
          mu: fit.mu,
          rmse: fit.rmse,
          parameters: { model: { ...params }, thresholds: { ...thresholds } },
        },
        select: { id: true },
      });
      await tx.$executeRaw`DELETE FROM "ContributionScore"`;
      if (ids.length) {
        await tx.$executeRaw`
          INSERT INTO "ContributionScore" ("contributionId", "runId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt",
                                           "articleId", "listAnchorId", "postedAt")
          SELECT t.id, ${run.id}::uuid, t.i, t.f, t.n, t.m, t.s::"RankingStatus", ${finished},
                 c."articleId", CASE WHEN c."parentId" IS NULL THEN c."placedAnchorId" END, c."createdAt"
          FROM unnest(${ids}::uuid[], ${intercepts}::float8[], ${factors}::float8[], ${ratingCounts}::int[], ${fitCounts}::int[], ${statuses}::text[])
            AS t(id, i, f, n, m, s)
          JOIN "Contribution" c ON c.id = t.id`;
        await tx.$executeRaw`
          INSERT INTO "ContributionScoreHistory" ("runId", "contributionId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt")
          SELECT "runId", "contributionId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt"
          FROM "ContributionScore"`;
      }
      return {
        id: run.id,
        trigger,
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        ...figures,
        durationMs: Math.round(performance.now() - t0),
      };
    },
    { maxWait: 10_000, timeout: 300_000 },
  );
}

/** The latest run (for /ranking and the loop), or null before the first. */
export async function latestRun(): Promise<{ id: string; startedAt: Date; finishedAt: Date; ratingsCount: number; itemsScored: number; helpfulCount: number } | null> {
  const db = await getDb();
  return db.scoringRun.findFirst({
    orderBy: { finishedAt: "desc" },
    select: { id: true, startedAt: true, finishedAt: true, ratingsCount: true, itemsScored: true, helpfulCount: true },
  });
}
