import os from "node:os";

/** 1-minute load average, sampled every 5 s while the benchmark runs. */
export function loadSampler() {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(os.loadavg()[0]!), 5000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (samples.length === 0) samples.push(os.loadavg()[0]!);
      return {
        min: Math.min(...samples),
        max: Math.max(...samples),
        mean: samples.reduce((a, b) => a + b, 0) / samples.length,
        samples: samples.length,
      };
    },
  };
}
