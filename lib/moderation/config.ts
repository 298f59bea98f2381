import { env } from "@/lib/env";

/** Moderation settings, read from the environment through lib/env.ts. (Rate limits: lib/rate-limit/limits.ts.) */
export const moderationConfig = {
  /** Open flags from this many distinct readers hide a published contribution pending review. */
  get autoHideFlags() {
    return env().MODERATION_AUTO_HIDE_FLAGS;
  },
};
