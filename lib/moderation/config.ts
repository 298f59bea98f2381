/** Moderation settings. (Rate limits: lib/rate-limit/limits.ts.) */
function int(name: string, fallback: number): number {
  const v = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export const moderationConfig = {
  /** Open flags from this many distinct readers hide a published contribution pending review. */
  get autoHideFlags() {
    return int("MODERATION_AUTO_HIDE_FLAGS", 3);
  },
};
