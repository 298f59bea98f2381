import { isDatabaseUnavailable } from "@/lib/db/errors";
import { getDb } from "@/lib/db/client";
import { schedule } from "./schedule";
import { latestRun, scoreContributions, type ScoringTrigger } from "./score-contributions";

/**
 * The background scoring loop, started once per server process (lib/startup.ts). Every
 * `schedule.checkSeconds` it asks whether a run is due — none yet, the last one older than
 * RANKING_INTERVAL_MINUTES, or RANKING_MIN_NEW_RATINGS ratings set or changed since it began —
 * and scores if so. Several instances may run the loop; the advisory lock in
 * scoreContributions lets one score and the others skip.
 */

/** Why a run is due now, or null. */
export async function dueTrigger(now = new Date()): Promise<ScoringTrigger | null> {
  const last = await latestRun();
  if (!last) return "schedule";
  if (now.getTime() - last.finishedAt.getTime() >= schedule.intervalMinutes * 60_000) return "schedule";
  const db = await getDb();
  // Counting stops at the threshold: the index on updatedAt keeps this cheap however many there are.
  const changed = await db.rating.findMany({
    where: { updatedAt: { gte: last.startedAt } },
    select: { id: true },
    take: schedule.minNewRatings,
  });
  return changed.length >= schedule.minNewRatings ? "ratings" : null;
}

const g = globalThis as typeof globalThis & { __rankingLoop?: { timer: NodeJS.Timeout; busy: boolean } };

export function startRankingLoop(): void {
  if (g.__rankingLoop) return;
  const state = { timer: undefined as unknown as NodeJS.Timeout, busy: false };
  const tick = async () => {
    if (state.busy) return;
    state.busy = true;
    try {
      const trigger = await dueTrigger();
      if (trigger) {
        const run = await scoreContributions(trigger);
        if (run) console.log(`[ranking] scored ${run.itemsScored} contributions from ${run.ratingsCount} ratings (${run.trigger}, ${run.durationMs} ms)`);
      }
    } catch (err) {
      // A database restart is expected and retried: one line, no stack (docs/operations.md).
      if (isDatabaseUnavailable(err)) console.warn("[ranking] scoring waits for the database");
      else console.error("[ranking] scoring failed; will try again", err);
    } finally {
      state.busy = false;
    }
  };
  state.timer = setInterval(() => void tick(), schedule.checkSeconds * 1000);
  state.timer.unref();
  g.__rankingLoop = state;
  setTimeout(() => void tick(), 5_000).unref();
}

export function stopRankingLoop(): void {
  if (g.__rankingLoop) clearInterval(g.__rankingLoop.timer);
  g.__rankingLoop = undefined;
}
