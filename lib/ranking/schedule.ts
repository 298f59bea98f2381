import { env } from "@/lib/env";

/**
 * When the background job scores (lib/ranking/loop.ts). Server only: it reads the environment,
 * which lib/ranking/config.ts (also imported by client components) must not.
 */
/** When the background job scores: every N minutes, and sooner once M ratings changed since the last run. */
export const schedule = {
  get intervalMinutes() {
    return env().RANKING_INTERVAL_MINUTES;
  },
  get minNewRatings() {
    return env().RANKING_MIN_NEW_RATINGS;
  },
  /** How often the loop checks whether either condition holds. */
  checkSeconds: 60,
};
