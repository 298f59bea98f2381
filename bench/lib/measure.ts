import autocannon, { type Result } from "autocannon";

/**
 * Load generation with autocannon's programmatic API. Latency percentiles are computed from
 * every response's own time (autocannon's summary has p50/p90/p97.5 but no p95).
 */

export interface Figures {
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Mean bytes read per response, headers included. */
  bytes: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LoadOptions {
  origin: string;
  paths: string[];
  connections: number;
  /** Seconds; or `amount` requests. */
  duration?: number;
  amount?: number;
  /** Sent with every request (e.g. a session cookie). No Accept-Encoding: bodies are measured uncompressed. */
  headers?: Record<string, string>;
}

/** A running autocannon load; `done` resolves with its figures when it ends (or is stopped). */
export function startLoad(opts: LoadOptions): { stop(): void; done: Promise<Figures> } {
  const times: number[] = [];
  let bodyBytes = 0;
  let stop = () => undefined as void;
  const done = new Promise<Figures>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.origin,
        connections: opts.connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
        timeout: 30,
        ...(opts.headers ? { headers: opts.headers } : {}),
        requests: opts.paths.map((path) => ({ method: "GET", path, ...(opts.headers ? { headers: opts.headers } : {}) })),
      },
      (err: Error | null, result: Result) => {
        if (err) return reject(err);
        times.sort((a, b) => a - b);
        resolve({
          requests: times.length,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          seconds: result.duration,
          rps: times.length / Math.max(result.duration, 0.001),
          p50: percentile(times, 50),
          p95: percentile(times, 95),
          p99: percentile(times, 99),
          max: times[times.length - 1] ?? Number.NaN,
          bytes: times.length ? bodyBytes / times.length : 0,
        });
      },
    );
    instance.on("response", (_client: unknown, _status: number, resBytes: number, responseTime: number) => {
      times.push(responseTime);
      bodyBytes += resBytes;
    });
    stop = () => instance.stop();
  });
  return { stop: () => stop(), done };
}

export function load(opts: LoadOptions): Promise<Figures> {
  return startLoad(opts).done;
}

export interface Scenario {
  name: string;
  paths: string[];
  /** Sent with every request (e.g. a session cookie). */
  headers?: Record<string, string>;
}

export interface ScenarioFigures {
  name: string;
  /** CPU milliseconds per request during the loaded run (Linux only). */
  cpu: { server: number; postgres: number | null } | null;
  /** One client, one request at a time: the latency a reader sees on an idle server. */
  sequential: Figures;
  /** `connections` concurrent clients for `duration` seconds. */
  loaded: Figures;
}

export async function runScenario(
  origin: string,
  s: Scenario,
  cfg: { connections: number; duration: number; sequentialRequests: number; warmupSeconds: number },
  sampleCpu?: () => { server: number; postgres: number | null },
): Promise<ScenarioFigures> {
  // Warm up: JIT, Next's route caches, the database's buffer cache and connection pool.
  const h = s.headers ? { headers: s.headers } : {};
  await load({ origin, paths: s.paths, connections: cfg.connections, duration: cfg.warmupSeconds, ...h });
  const sequential = await load({ origin, paths: s.paths, connections: 1, amount: cfg.sequentialRequests, ...h });
  const before = sampleCpu?.();
  const loaded = await load({ origin, paths: s.paths, connections: cfg.connections, duration: cfg.duration, ...h });
  const after = sampleCpu?.();
  for (const [label, f] of [["sequential", sequential], ["loaded", loaded]] as const) {
    if (f.non2xx > 0 || f.errors > 0) {
      throw new Error(`${s.name} (${label}): ${f.non2xx} non-2xx responses and ${f.errors} errors — figures would be meaningless`);
    }
  }
  const perRequest = (a: number | null | undefined, b: number | null | undefined) =>
    a == null || b == null || loaded.requests === 0 ? null : (b - a) / loaded.requests;
  const server = perRequest(before?.server, after?.server);
  const cpu = server === null ? null : { server, postgres: perRequest(before?.postgres, after?.postgres) };
  return { name: s.name, cpu, sequential, loaded };
}
