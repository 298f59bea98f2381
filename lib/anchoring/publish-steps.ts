import diagnosticsChannel from "node:diagnostics_channel";

/**
 * Where the publishing transaction's time goes (loadVersion → reanchorVersion), step by step, for
 * the benchmark and for anyone who subscribes (`diagnostics_channel.subscribe(PUBLISH_STEPS_CHANNEL, …)`).
 * Nothing is measured when nobody listens.
 */
export const PUBLISH_STEPS_CHANNEL = "marginalia:publish-steps";

export interface PublishStep {
  step: string;
  ms: number;
}

const channel = diagnosticsChannel.channel(PUBLISH_STEPS_CHANNEL);

/** A stopwatch whose `lap(step)` publishes the time since the previous lap (or since it started). */
export function publishStopwatch(): { lap(step: string): void } {
  if (!channel.hasSubscribers) return { lap() {} };
  let last = performance.now();
  return {
    lap(step) {
      const now = performance.now();
      channel.publish({ step, ms: now - last } satisfies PublishStep);
      last = now;
    },
  };
}
