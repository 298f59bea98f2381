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
  /** Time spent while another step ran (so already counted in that step's wall-clock time). */
  overlapped?: boolean;
}

const channel = diagnosticsChannel.channel(PUBLISH_STEPS_CHANNEL);

export interface PublishStopwatch {
  /** Publishes the time since the previous lap (or since the stopwatch started) as `step`. */
  lap(step: string): void;
  /** Times `fn` and adds it to `step`, published (as overlapped) by `flush`. */
  measure<T>(step: string, fn: () => T): T;
  /** Publishes what measure() added up. */
  flush(): void;
}

const idle: PublishStopwatch = { lap() {}, measure: (_step, fn) => fn(), flush() {} };

export function publishStopwatch(): PublishStopwatch {
  if (!channel.hasSubscribers) return idle;
  let last = performance.now();
  const sums = new Map<string, number>();
  return {
    lap(step) {
      const now = performance.now();
      channel.publish({ step, ms: now - last } satisfies PublishStep);
      last = now;
    },
    measure(step, fn) {
      const t0 = performance.now();
      try {
        return fn();
      } finally {
        sums.set(step, (sums.get(step) ?? 0) + performance.now() - t0);
      }
    },
    flush() {
      for (const [step, ms] of sums) channel.publish({ step, ms, overlapped: true } satisfies PublishStep);
      sums.clear();
    },
  };
}
