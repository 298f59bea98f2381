// npm run bench:sse — the live margin (issue 10, ADR 0040) under many open streams: N Server-Sent
// Events connections to one article on one production server (`scripts/server.mjs`), on a throwaway
// PostgreSQL seeded with bench/lib/seed.ts.
// 1. Memory: the server's RSS (VmRSS from /proc, median of several samples) before opening the
//    streams and once all of them have said `hello`; bytes per connection = (after − before) / N.
// 2. Latency: M contributions posted through the real API (POST /api/articles/:slug/contributions)
//    by signed-in readers — first one every BENCH_SSE_SPACING_MS, then in bursts of BENCH_SSE_BURST
//    sent at once — and, for every client, when the event of each one arrived: the delay per
//    (write, client) pair and per write until every client had it, measured from the POST being
//    sent, from its acknowledgement and from the event row's transaction time (ArticleEvent.createdAt).
// 3. The same with one connection (the floor), CPU of the server per event delivered (/proc), and
//    a check that every client received every event exactly once, in order.
// Writes its section of docs/perf.md ("Live margin (SSE)").
//
// Knobs: BENCH_SSE_CONNECTIONS (1000), BENCH_SSE_WRITES (50), BENCH_SSE_SPACING_MS (200),
// BENCH_SSE_BURST (5), BENCH_SSE_WRITERS (5), BENCH_SSE_FLOOR (1; 0 skips the N=1 run),
// BENCH_SSE_RSS_SAMPLES (5), BENCH_CONTRIBUTIONS (3000), BENCH_AUTHORS (250), BENCH_PG_PORT (56438),
// BENCH_PORT (3320), BENCH_BUILD (as for npm run bench), BENCH_PERF_MD (docs/perf.md; "-" for none).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { BUILD_ENV, ensureBuild } from "./lib/build";
import { cleanupStack } from "./lib/cleanup";
import { cpuAvailable, postmasterPid, sampleCpu, type CpuSample } from "./lib/cpu";
import { envNumber } from "./lib/env";
import { gitCommit } from "./lib/git";
import { percentile } from "./lib/measure";
import { signIn } from "./lib/moderation/http";
import { databaseUrl, recreateDatabase, startCluster } from "./lib/postgres";
import { mulberry32, randomBody, randomClaim, wordStartsOf } from "./lib/random";
import { writeMarkedSection } from "./lib/report";
import { seedContributions } from "./lib/seed";
import { startServer, type Server } from "./lib/server";

const root = process.cwd();
const cfg = {
  pgPort: envNumber("BENCH_PG_PORT", 56438),
  port: envNumber("BENCH_PORT", 3320),
  connections: envNumber("BENCH_SSE_CONNECTIONS", 1000),
  writes: envNumber("BENCH_SSE_WRITES", 50),
  spacingMs: envNumber("BENCH_SSE_SPACING_MS", 200),
  burst: envNumber("BENCH_SSE_BURST", 5),
  writers: envNumber("BENCH_SSE_WRITERS", 5),
  floor: process.env.BENCH_SSE_FLOOR !== "0",
  rssSamples: envNumber("BENCH_SSE_RSS_SAMPLES", 5),
  contributions: envNumber("BENCH_CONTRIBUTIONS", 3000),
  authors: envNumber("BENCH_AUTHORS", 250),
  /** RATE_LIMIT_MULTIPLIER for the server: a handful of writers post faster than one per 5 s each. */
  multiplier: 20,
  /** Streams opened at once (the listen backlog and the first DB query of each are the limit). */
  openBatch: 100,
  build: process.env.BENCH_BUILD,
  perfMd: process.env.BENCH_PERF_MD === "-" ? null : path.resolve(root, process.env.BENCH_PERF_MD || "docs/perf.md"),
};

const { onCleanup, cleanup } = cleanupStack("bench:sse");
const log = (msg: string) => console.log(`[bench:sse] ${new Date().toISOString().slice(11, 19)} ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = "bench-sse-password-0";
/** Wall-clock milliseconds (with fractions) of a performance.now() reading, to compare with PostgreSQL's clock. */
const wall = (t: number) => performance.timeOrigin + t;

// ---- /proc ---------------------------------------------------------------------------------
function openFilesLimit(pid: number | "self"): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const [soft, hard] = (line ?? "").replace("Max open files", "").trim().split(/\s+/);
  const n = (s: string | undefined) => (s === "unlimited" ? Infinity : Number(s));
  return { soft: n(soft), hard: n(hard) };
}

function procStatus(pid: number): { rss: number; name: string; ppid: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, "m").exec(s)?.[1]?.trim() ?? "";
    // The process title (Next sets "next-server (v…)"); Name in status is cut at 15 characters.
    const title = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] || field("Name");
    return { rss: Number(field("VmRSS").replace(/\s*kB$/, "")) * 1024, name: title, ppid: Number(field("PPid")) };
  } catch {
    return null;
  }
}

/** The processes of the server's process group (the server and any child it runs the server in). */
function groupPids(pgid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const raw = readFileSync(`/proc/${e}/stat`, "utf8");
      const f = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
      if (Number(f[2]) === pgid) out.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The process that holds the connections: the one of the group with the most open sockets. */
function serverProcess(pgid: number): number {
  let best = pgid;
  let most = -1;
  for (const pid of groupPids(pgid)) {
    const n = socketCount(pid);
    if (n > most) [best, most] = [pid, n];
  }
  return best;
}

function socketCount(pid: number): number {
  try {
    let n = 0;
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) n++;
      } catch {
        /* closed meanwhile */
      }
    }
    return n;
  } catch {
    return 0;
  }
}

/** The connection string of the bench's pool (for one more client of the same database). */
const dbUrlOf = (pool: pg.Pool) => (pool as unknown as { options: { connectionString: string } }).options.connectionString;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median of `n` RSS readings of `pid`, one a second. */
async function rssMedian(pid: number, n: number): Promise<{ median: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) await sleep(1000);
    samples.push(procStatus(pid)?.rss ?? Number.NaN);
  }
  return { median: median(samples), samples };
}

// ---- SSE clients ---------------------------------------------------------------------------
interface Arrival {
  id: bigint;
  contributionId: string;
  /** performance.now() when the chunk holding the frame's end was read. */
  at: number;
}

class SseClient {
  arrivals: Arrival[] = [];
  helloAt: number | null = null;
  heartbeats = 0;
  /** Bytes of the contribution frames' data lines (the event JSON). */
  eventBytes = 0;
  resets = 0;
  otherEvents = 0;
  closed = false;
  error: string | null = null;
  private buf = "";
  private req: http.ClientRequest | null = null;
  private onHello: (() => void) | null = null;

  open(agent: http.Agent, origin: string, pathName: string, timeoutMs: number): Promise<void> {
    const u = new URL(origin + pathName);
    const t0 = performance.now();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no hello after ${timeoutMs} ms`)), timeoutMs);
      this.onHello = () => {
        clearTimeout(timer);
        resolve();
      };
      const req = http.get(
        { agent, host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { accept: "text/event-stream" } },
        (res) => {
          if (res.statusCode !== 200) {
            clearTimeout(timer);
            reject(new Error(`status ${res.statusCode}`));
            res.resume();
            return;
          }
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => this.take(chunk, performance.now()));
          res.on("end", () => (this.closed = true));
          res.on("error", (err) => {
            this.closed = true;
            this.error ??= err.message;
          });
        },
      );
      req.on("error", (err) => {
        clearTimeout(timer);
        this.closed = true;
        this.error ??= err.message;
        reject(err);
      });
      this.req = req;
    }).then(() => void (this.openMs = performance.now() - t0));
  }

  openMs = 0;

  /** Frames end with a blank line; a chunk may hold several or part of one. */
  private take(chunk: string, at: number): void {
    this.buf += chunk;
    for (let end = this.buf.indexOf("\n\n"); end !== -1; end = this.buf.indexOf("\n\n")) {
      const frame = this.buf.slice(0, end);
      this.buf = this.buf.slice(end + 2);
      this.frame(frame, at);
    }
  }

  private frame(frame: string, at: number): void {
    if (frame.startsWith(":")) {
      this.heartbeats++;
      return;
    }
    let event = "message";
    let id: string | null = null;
    let data = "";
    for (const line of frame.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data = line.slice(6);
    }
    if (event === "hello") {
      this.helloAt = at;
      this.onHello?.();
    } else if (event === "contribution" && id !== null) {
      const k = data.indexOf('"contributionId":"');
      const contributionId = k === -1 ? "" : data.slice(k + 18, data.indexOf('"', k + 18));
      this.arrivals.push({ id: BigInt(id), contributionId, at });
      this.eventBytes += data.length;
    } else if (event === "reset") this.resets++;
    else this.otherEvents++;
  }

  close(): void {
    this.req?.destroy();
  }
}

// ---- the run -------------------------------------------------------------------------------
interface World {
  slug: string;
  versionId: string;
  paragraphs: { anchorId: string; text: string; wordStarts: number[] }[];
  writerEmails: string[];
}

interface Write {
  index: number;
  /** "single" (spaced) or "burst <k>". */
  group: string;
  anchorId: string;
  sentAt: number;
  ackAt: number;
  status: number;
  contributionId: string | null;
  /** ArticleEvent.createdAt of its event (the transaction's time, ms precision), as performance.now(). */
  txAt: number | null;
  eventId: bigint | null;
}

interface WriteFigures {
  index: number;
  group: string;
  /** Spaced writes: when the bench's own LISTEN heard the commit (from the POST sent). */
  notifyMs: number | null;
  /** From that notification to the first client's arrival (hub read, summary, fan-out up to the first socket). */
  notifyToFirstMs: number | null;
  /** From the transaction's start (ArticleEvent.createdAt) to the notification: the write's own transaction and commit. */
  txToNotifyMs: number | null;
  ackMs: number;
  /** From the POST sent: first client, the client at the median, the last client (all had it). */
  firstMs: number;
  medianMs: number;
  allMs: number;
  /** The same last arrival measured from the event row's transaction time. */
  allFromTxMs: number | null;
  received: number;
}

interface Dist {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

interface PhaseResult {
  label: string;
  connections: number;
  openSeconds: number;
  helloP50Ms: number;
  helloMaxMs: number;
  rssBefore: number;
  rssAfter: number;
  rssAfterWrites: number;
  rssSamplesBefore: number[];
  rssSamplesAfter: number[];
  bytesPerConnection: number;
  socketsBefore: number;
  socketsAfter: number;
  writes: Write[];
  perWrite: WriteFigures[];
  /** Over every (write, client) pair: from the POST sent, from its acknowledgement, from the transaction. */
  fromSent: Dist;
  fromAck: Dist;
  fromTx: Dist;
  /** Per write, the delay until every client had it (from the POST sent; from the transaction). */
  allClients: Dist;
  allClientsFromTx: Dist;
  /** Last minus first client's arrival, per write. */
  spread: Dist;
  /** Spaced writes: transaction start → notification, notification → first client, first → last client. */
  stages: { txToNotify: Dist; notifyToFirst: Dist; firstToLast: Dist };
  ack: Dist;
  cpu: { server: number; postgres: number | null; client: number; seconds: number } | null;
  eventsDelivered: number;
  /** Mean size of one event's JSON (every client gets the same). */
  eventBytes: number;
  checks: { expected: number; idInversions: number; missing: number; duplicates: number; outOfOrder: number; unexpected: number; resets: number; closed: number; errors: number; failedWrites: number };
  clientLoopDelayP99Ms: number;
  clientLoopDelayMaxMs: number;
}

const dist = (xs: number[]): Dist => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? Number.NaN, n: s.length };
};

async function signInAll(origin: string, emails: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const e of emails) out.push(await signIn(origin, e, PASSWORD));
  return out;
}

async function post(origin: string, world: World, cookie: string, rand: () => number, index: number, group: string): Promise<Write> {
  const p = world.paragraphs[Math.floor(rand() * world.paragraphs.length)]!;
  const { selector } = randomClaim(p.text, p.wordStarts, rand);
  const sentAt = performance.now();
  let status = 0;
  let contributionId: string | null = null;
  try {
    const res = await fetch(`${origin}/api/articles/${world.slug}/contributions`, {
      method: "POST",
      headers: { cookie, origin, "content-type": "application/json" },
      body: JSON.stringify({ anchorId: p.anchorId, versionId: world.versionId, kind: rand() < 0.6 ? "ANNOTATION" : "COUNTERPOINT", body: `${randomBody(rand)} [sse:${randomUUID()}]`, selector }),
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    const body = (await res.json().catch(() => null)) as { contribution?: { id: string } } | null;
    contributionId = res.status === 201 ? (body?.contribution?.id ?? null) : null;
  } catch {
    status = 0;
  }
  return { index, group, anchorId: p.anchorId, sentAt, ackAt: performance.now(), status, contributionId, txAt: null, eventId: null };
}

/** Spaced single writes first, then bursts of `burst` sent at once, a second apart. */
function schedule(total: number, burst: number): string[] {
  const bursts = Math.floor((total * 0.4) / burst);
  const singles = total - bursts * burst;
  return [...Array.from({ length: singles }, () => "single"), ...Array.from({ length: bursts * burst }, (_, i) => `burst ${Math.floor(i / burst) + 1}`)];
}

async function runPhase(label: string, n: number, server: Server, world: World, cookies: string[], sql: pg.Pool, pgDataDir: string, seed: number): Promise<PhaseResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const serverPid = serverProcess(server.pid);
  log(`N=${n}: server process ${serverPid} (${procStatus(serverPid)?.name}); sampling RSS before opening`);
  const socketsBefore = socketCount(serverPid);
  const before = await rssMedian(serverPid, cfg.rssSamples);

  // Open the streams, a batch at a time; wait for every hello.
  const clients = Array.from({ length: n }, () => new SseClient());
  const t0 = performance.now();
  for (let i = 0; i < n; i += cfg.openBatch) {
    await Promise.all(clients.slice(i, i + cfg.openBatch).map((c) => c.open(agent, server.origin, `/api/articles/${world.slug}/events`, 60_000)));
  }
  const openSeconds = (performance.now() - t0) / 1000;
  const opens = clients.map((c) => c.openMs).sort((a, b) => a - b);
  log(`N=${n}: ${n} streams open, every hello in, ${openSeconds.toFixed(1)} s (hello p50 ${percentile(opens, 50).toFixed(0)} ms, max ${opens.at(-1)!.toFixed(0)} ms)`);
  await sleep(3000); // settle: the server's GC catches up with the opening's garbage
  const after = await rssMedian(serverPid, cfg.rssSamples);
  const socketsAfter = socketCount(serverPid);
  log(`N=${n}: RSS ${(before.median / 2 ** 20).toFixed(1)} MiB → ${(after.median / 2 ** 20).toFixed(1)} MiB; server sockets ${socketsBefore} → ${socketsAfter}`);

  // Writes.
  const rand = mulberry32(seed);
  const groups = schedule(cfg.writes, cfg.burst);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpuSrc = { serverPgid: server.pid, postmasterPid: postmasterPid(pgDataDir) };
  // The bench's own LISTEN on the hub's channel: when PostgreSQL delivered each commit's notification
  // (to this process; the server's listener hears it at the same moment, give or take scheduling).
  const listener = new pg.Client({ connectionString: dbUrlOf(sql) });
  await listener.connect();
  const notifications: number[] = [];
  listener.on("notification", (m) => {
    if (m.channel === "article_events") notifications.push(performance.now());
  });
  await listener.query("LISTEN article_events");
  const cpuBefore: CpuSample | null = cpuAvailable() ? sampleCpu(cpuSrc) : null;
  const clientCpuBefore = process.cpuUsage();
  const w0 = performance.now();
  const pending: Promise<Write>[] = [];
  let k = 0;
  for (let i = 0; i < groups.length; ) {
    const g = groups[i]!;
    if (g === "single") {
      pending.push(post(server.origin, world, cookies[k++ % cookies.length]!, rand, i, g));
      i++;
      await sleep(cfg.spacingMs);
    } else {
      const batch: number[] = [];
      while (groups[i] === g) batch.push(i++);
      for (const j of batch) pending.push(post(server.origin, world, cookies[k++ % cookies.length]!, rand, j, g));
      await sleep(1000);
    }
  }
  const writes = await Promise.all(pending);
  // Wait until every client has every acknowledged write's event (or 20 s).
  const wanted = new Set(writes.map((w) => w.contributionId).filter((x): x is string => x !== null));
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline && clients.some((c) => c.arrivals.filter((a) => wanted.has(a.contributionId)).length < wanted.size)) await sleep(50);
  const writeSeconds = (performance.now() - w0) / 1000;
  const cpuAfter: CpuSample | null = cpuAvailable() ? sampleCpu(cpuSrc) : null;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  loop.disable();
  await listener.end();
  await sleep(1000);
  const rssAfterWrites = procStatus(serverPid)?.rss ?? Number.NaN;

  // The events' transaction times and ids, from the database.
  const ids = [...wanted];
  const rows = (
    await sql.query<{ contributionId: string; id: string; ms: number }>(
      `SELECT "contributionId", id::text, extract(epoch FROM "createdAt") * 1000 AS ms FROM "ArticleEvent" WHERE "contributionId" = ANY($1::uuid[]) AND type = 'posted'`,
      [ids],
    )
  ).rows;
  const byContribution = new Map(rows.map((r) => [r.contributionId, r]));
  for (const w of writes) {
    const r = w.contributionId ? byContribution.get(w.contributionId) : undefined;
    if (r) {
      w.txAt = Number(r.ms) - performance.timeOrigin;
      w.eventId = BigInt(r.id);
    }
  }

  // Per (write, client) and per write.
  const fromSent: number[] = [];
  const fromAck: number[] = [];
  const fromTx: number[] = [];
  const perWrite: WriteFigures[] = [];
  const arrivalMaps = clients.map((c) => new Map(c.arrivals.map((a) => [a.contributionId, a.at])));
  for (const w of writes) {
    if (!w.contributionId) continue;
    const at = arrivalMaps.map((m) => m.get(w.contributionId!)).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    for (const t of at) {
      fromSent.push(t - w.sentAt);
      fromAck.push(t - w.ackAt);
      if (w.txAt !== null) fromTx.push(t - w.txAt);
    }
    // Spaced writes only (a burst's notifications cannot be told apart): the first notification after it was sent.
    const notifiedAt = w.group === "single" ? notifications.find((t) => t > w.sentAt) : undefined;
    perWrite.push({
      index: w.index,
      group: w.group,
      notifyMs: notifiedAt === undefined ? null : notifiedAt - w.sentAt,
      notifyToFirstMs: notifiedAt === undefined || !at.length ? null : at[0]! - notifiedAt,
      txToNotifyMs: notifiedAt === undefined || w.txAt === null ? null : notifiedAt - w.txAt,
      ackMs: w.ackAt - w.sentAt,
      firstMs: at.length ? at[0]! - w.sentAt : Number.NaN,
      medianMs: at.length ? at[Math.floor(at.length / 2)]! - w.sentAt : Number.NaN,
      allMs: at.length === n ? at.at(-1)! - w.sentAt : Number.NaN,
      allFromTxMs: at.length === n && w.txAt !== null ? at.at(-1)! - w.txAt : null,
      received: at.length,
    });
  }

  // Exactly once, in order: each client's events are the acknowledged writes', in event-id order, once each.
  const expectedIds = writes
    .map((w) => w.eventId)
    .filter((x): x is bigint => x !== null)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let missing = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let unexpected = 0;
  const expectedSet = new Set(expectedIds.map(String));
  // "In order": every client got the events in the same order (the order the hub delivered them,
  // which is commit order); an event committed after one with a higher id comes after it
  // (idInversions, counted once, from the first client: not an error).
  const reference = (clients[0]?.arrivals ?? []).map((a) => String(a.id));
  let idInversions = 0;
  for (let i = 1; i < reference.length; i++) if (BigInt(reference[i]!) < BigInt(reference[i - 1]!)) idInversions++;
  for (const c of clients) {
    const seen = new Set<string>();
    c.arrivals.forEach((a, i) => {
      const key = String(a.id);
      if (seen.has(key)) duplicates++;
      seen.add(key);
      if (reference[i] !== key) outOfOrder++;
      if (!expectedSet.has(key)) unexpected++;
    });
    for (const id of expectedSet) if (!seen.has(id)) missing++;
  }
  const eventsDelivered = clients.reduce((s, c) => s + c.arrivals.length, 0);
  const checks = {
    expected: expectedIds.length * n,
    idInversions,
    missing,
    duplicates,
    outOfOrder,
    unexpected,
    resets: clients.reduce((s, c) => s + c.resets, 0),
    closed: clients.filter((c) => c.closed).length,
    errors: clients.filter((c) => c.error !== null).length,
    failedWrites: writes.filter((w) => w.status !== 201).length,
  };
  const bad = checks.missing + checks.duplicates + checks.outOfOrder + checks.unexpected + checks.resets + checks.closed + checks.failedWrites;
  if (bad > 0) log(`N=${n}: DELIVERY MISMATCH ${JSON.stringify(checks)}`);
  else log(`N=${n}: every client received all ${expectedIds.length} events exactly once, all in the same order (${idInversions} after a higher id)`);

  for (const c of clients) c.close();
  agent.destroy();
  await sleep(2000); // the server notices the closed streams

  const cpu =
    cpuBefore && cpuAfter
      ? {
          server: cpuAfter.server - cpuBefore.server,
          postgres: cpuAfter.postgres !== null && cpuBefore.postgres !== null ? cpuAfter.postgres - cpuBefore.postgres : null,
          client: (clientCpu.user + clientCpu.system) / 1000,
          seconds: writeSeconds,
        }
      : null;
  const perWriteAll = perWrite.map((p) => p.allMs);
  return {
    label,
    connections: n,
    openSeconds,
    helloP50Ms: percentile(opens, 50),
    helloMaxMs: opens.at(-1)!,
    rssBefore: before.median,
    rssAfter: after.median,
    rssAfterWrites,
    rssSamplesBefore: before.samples,
    rssSamplesAfter: after.samples,
    bytesPerConnection: (after.median - before.median) / n,
    socketsBefore,
    socketsAfter,
    writes,
    perWrite,
    fromSent: dist(fromSent),
    fromAck: dist(fromAck),
    fromTx: dist(fromTx),
    allClients: dist(perWriteAll),
    allClientsFromTx: dist(perWrite.map((p) => p.allFromTxMs ?? Number.NaN)),
    spread: dist(perWrite.map((p) => p.allMs - p.firstMs)),
    stages: {
      txToNotify: dist(perWrite.map((p) => p.txToNotifyMs ?? Number.NaN)),
      notifyToFirst: dist(perWrite.map((p) => p.notifyToFirstMs ?? Number.NaN)),
      firstToLast: dist(perWrite.filter((p) => p.group === "single").map((p) => p.allMs - p.firstMs)),
    },
    ack: dist(writes.map((w) => w.ackAt - w.sentAt)),
    cpu,
    eventsDelivered,
    eventBytes: eventsDelivered ? clients.reduce((s, c) => s + c.eventBytes, 0) / eventsDelivered : 0,
    checks,
    clientLoopDelayP99Ms: loop.percentile(99) / 1e6,
    clientLoopDelayMaxMs: loop.max / 1e6,
  };
}

/** The two queries the hub runs per notification, timed from here over the app's own client (median of 20). */
async function timeHubQueries(articleId: string, anchors: string[]): Promise<{ readMs: number; summaryMs: number; hotSummaryMs: number; hotCount: number }> {
  const { getDb } = await import("@/lib/db/client");
  const { readEvents } = await import("@/lib/live/events");
  const { paragraphSummaries } = await import("@/lib/annotations/paragraph-summaries");
  const db = await getDb();
  const last = await db.articleEvent.findFirst({ where: { articleId }, orderBy: { id: "desc" }, select: { id: true } });
  const from = (last?.id ?? 1n) - 1n;
  const time = async (fn: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await fn();
      xs.push(performance.now() - t);
    }
    return median(xs);
  };
  const counts = await db.contribution.groupBy({ by: ["anchorId"], where: { articleId }, _count: { _all: true } });
  const hot = counts.sort((a, b) => b._count._all - a._count._all)[0]!;
  const readMs = await time(() => readEvents(db, articleId, from));
  let i = 0;
  const summaryMs = await time(() => paragraphSummaries(articleId, null, [anchors[i++ % anchors.length]!]));
  const hotSummaryMs = await time(() => paragraphSummaries(articleId, null, [hot.anchorId]));
  return { readMs, summaryMs, hotSummaryMs, hotCount: hot._count._all };
}

// ---- report -------------------------------------------------------------------------------
const START = "<!-- bench:sse:start (written by `npm run bench:sse`; edits inside are overwritten) -->";
const END = "<!-- bench:sse:end -->";
const ms = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? "–" : v < 10 ? v.toFixed(1) : v.toFixed(0));
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const kib = (b: number) => (Number.isFinite(b) ? `${(b / 1024).toFixed(1)} KiB` : "–");

function renderMarkdown(phases: PhaseResult[], meta: { date: string; command: string; commit: string; postgres: string; next: string; load: { before: number; after: number }; seeded: number; published: number; paragraphs: number; hub: Awaited<ReturnType<typeof timeHubQueries>>; fdLimit: { soft: number; hard: number }; serverName: string }): string {
  const cpus = os.cpus();
  const col = (label: string, f: (p: PhaseResult) => string) => `| ${label} | ${phases.map(f).join(" | ")} |`;
  const main = phases.reduce((a, b) => (b.connections > a.connections ? b : a));
  const lines = [
    `### Latest run — ${meta.date}`,
    "",
    `- Command: \`${meta.command}\` (commit \`${meta.commit}\`)`,
    `- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}; PostgreSQL ${meta.postgres} (default settings); Next.js ${meta.next} (\`scripts/server.mjs\`, production build). Server, PostgreSQL and the ${int(main.connections)} clients (one Node process, node:http) share the ${cpus.length} CPUs; 1-minute load average ${meta.load.before.toFixed(2)} before, ${meta.load.after.toFixed(2)} after. Open-files limit ${meta.fdLimit.soft} (soft) / ${meta.fdLimit.hard} (hard), inherited by the server.`,
    `- Data: ${int(meta.seeded)} seeded contributions (${int(meta.published)} published) over ${meta.paragraphs} paragraphs (bench/lib/seed.ts). Writes: ${cfg.writes} contributions per run through \`POST /api/articles/:slug/contributions\`, signed in as ${cfg.writers} readers in turn (RATE_LIMIT_MULTIPLIER=${cfg.multiplier}); ${schedule(cfg.writes, cfg.burst).filter((g) => g === "single").length} one every ${cfg.spacingMs} ms, then bursts of ${cfg.burst} sent at once, a second apart; each on a random paragraph. Streams are anonymous, opened ${cfg.openBatch} at a time, all to the same article.`,
    `- Memory: VmRSS of the server process ${meta.serverName}, the process of the server's group holding the sockets, median of ${cfg.rssSamples} readings a second apart, before opening the streams and 3 s after the last \`hello\`; no forced GC (not possible from outside), so the figure includes garbage not yet collected.`,
    `- Delay: from the POST being sent to the client reading the frame (the write's own time included); "from the transaction" counts from the event row's \`createdAt\` (\`now()\`: the start of the write's transaction, ms precision, a few ms before its commit — so this is the notification path plus the transaction itself); "all clients" is per write, the last client's arrival.`,
    "",
    `| | ${phases.map((p) => p.label).join(" | ")} |`,
    `|---|${phases.map(() => "---:").join("|")}|`,
    col("streams opened, every `hello` in (s)", (p) => p.openSeconds.toFixed(1)),
    col("time to `hello` p50 / max (ms)", (p) => `${ms(p.helloP50Ms)} / ${ms(p.helloMaxMs)}`),
    col("server RSS before → after opening", (p) => `${mib(p.rssBefore)} → ${mib(p.rssAfter)}`),
    col("**RSS per connection**", (p) => (p.connections >= 100 ? `**${kib(p.bytesPerConnection)}**` : `(${kib(p.bytesPerConnection)}, noise)`)),
    col("server sockets before → after", (p) => `${p.socketsBefore} → ${p.socketsAfter}`),
    col("server RSS after the writes", (p) => mib(p.rssAfterWrites)),
    col("POST acknowledged p50 / p95 (ms)", (p) => `${ms(p.ack.p50)} / ${ms(p.ack.p95)}`),
    col("**(write, client) delay from POST p50 / p95 / p99 / max (ms)**", (p) => `**${ms(p.fromSent.p50)} / ${ms(p.fromSent.p95)}** / ${ms(p.fromSent.p99)} / ${ms(p.fromSent.max)}`),
    col("(write, client) delay from the transaction p50 / p95 / p99 / max (ms)", (p) => `${ms(p.fromTx.p50)} / ${ms(p.fromTx.p95)} / ${ms(p.fromTx.p99)} / ${ms(p.fromTx.max)}`),
    col("(write, client) arrival after the POST's answer p50 / p95 (ms; negative: before it)", (p) => `${ms(p.fromAck.p50)} / ${ms(p.fromAck.p95)}`),
    col("**per write, until all clients had it, p50 / p95 / max (ms)**", (p) => `**${ms(p.allClients.p50)} / ${ms(p.allClients.p95)}** / ${ms(p.allClients.max)}`),
    col("per write, all clients, from the transaction p50 / p95 / max (ms)", (p) => `${ms(p.allClientsFromTx.p50)} / ${ms(p.allClientsFromTx.p95)} / ${ms(p.allClientsFromTx.max)}`),
    col("per write, first → last client p50 / max (ms)", (p) => `${ms(p.spread.p50)} / ${ms(p.spread.max)}`),
    col("spaced writes: transaction start → notification p50 / p95 (ms)", (p) => `${ms(p.stages.txToNotify.p50)} / ${ms(p.stages.txToNotify.p95)}`),
    col("spaced writes: notification → first client p50 / p95 (ms)", (p) => `${ms(p.stages.notifyToFirst.p50)} / ${ms(p.stages.notifyToFirst.p95)}`),
    col("spaced writes: first → last client p50 / p95 (ms)", (p) => `${ms(p.stages.firstToLast.p50)} / ${ms(p.stages.firstToLast.p95)}`),
    col("events delivered (writes × clients)", (p) => `${int(p.eventsDelivered)} of ${int(p.checks.expected)}`),
    col("mean event size (JSON bytes)", (p) => int(p.eventBytes)),
    col("missing / duplicate / out of order / unexpected / resets / closed", (p) => `${p.checks.missing} / ${p.checks.duplicates} / ${p.checks.outOfOrder} / ${p.checks.unexpected} / ${p.checks.resets} / ${p.checks.closed}`),
    col("events delivered after one with a higher id (commits out of id order; same for every client)", (p) => String(p.checks.idInversions)),
    col("failed writes", (p) => String(p.checks.failedWrites)),
    col("server CPU in the write phase (ms), per event delivered (ms)", (p) => (p.cpu ? `${int(p.cpu.server)}, ${(p.cpu.server / Math.max(1, p.eventsDelivered)).toFixed(3)}` : "n/a")),
    col("server CPU per write (ms)", (p) => (p.cpu ? ms(p.cpu.server / Math.max(1, p.writes.length)) : "n/a")),
    col("server CPU per write and extra stream, over the floor (µs)", (p) => {
      const f = phases[0]!;
      if (!p.cpu || !f.cpu || p.connections <= f.connections) return "–";
      return ((p.cpu.server / p.writes.length - f.cpu.server / f.writes.length) / (p.connections - f.connections) * 1000).toFixed(0);
    }),
    col("PostgreSQL CPU per write (ms)", (p) => (p.cpu?.postgres != null ? ms(p.cpu.postgres / Math.max(1, p.writes.length)) : "n/a")),
    col("client process CPU in the write phase (ms); its event-loop delay p99 / max (ms)", (p) => (p.cpu ? `${int(p.cpu.client)}; ${ms(p.clientLoopDelayP99Ms)} / ${ms(p.clientLoopDelayMaxMs)}` : "n/a")),
    "",
    `- The hub's two queries per notification, timed from the bench process over the app's own client on the same database (median of 20): reading the new events ${ms(meta.hub.readMs)} ms; the summary of one changed paragraph ${ms(meta.hub.summaryMs)} ms (the hottest, ${int(meta.hub.hotCount)} contributions: ${ms(meta.hub.hotSummaryMs)} ms).`,
    "",
    `<details><summary>Per write at N = ${int(main.connections)} (ms from the POST sent)</summary>`,
    "",
    "| # | group | acknowledged | notification heard | first client | median client | all clients | all, from the transaction | clients |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ...main.perWrite.map((w) => `| ${w.index + 1} | ${w.group} | ${ms(w.ackMs)} | ${ms(w.notifyMs)} | ${ms(w.firstMs)} | ${ms(w.medianMs)} | ${ms(w.allMs)} | ${ms(w.allFromTxMs)} | ${w.received} |`),
    "",
    "</details>",
    "",
  ];
  return lines.join("\n");
}

// ---- main ---------------------------------------------------------------------------------
async function main(): Promise<void> {
  const limit = openFilesLimit("self");
  const needFds = cfg.connections + 200;
  if (limit.soft < needFds) {
    throw new Error(
      `The open-files limit is ${limit.soft} (hard ${limit.hard}); ${cfg.connections} connections need about ${needFds} in this process and in the server. ` +
        `Node cannot raise its own limit: run \`ulimit -n ${Math.min(limit.hard, Math.max(needFds, 4096))}\` in the shell first.`,
    );
  }
  const commit = gitCommit(root);
  ensureBuild(root, cfg.build, { ...process.env, ...BUILD_ENV }, log);
  log(`starting a throwaway PostgreSQL cluster on 127.0.0.1:${cfg.pgPort}`);
  const cluster = await startCluster(cfg.pgPort);
  onCleanup("stop PostgreSQL", () => cluster.stop());
  const adminUrl = `${cluster.serverUrl}/postgres`;
  const dbName = "annotated_sse";
  await recreateDatabase(adminUrl, dbName);
  const dbUrl = databaseUrl(adminUrl, dbName);
  process.env.DATABASE_URL = dbUrl;

  // Migrate, load content/ and seed with the app's own code; writers created directly (as bench:load).
  const { closeDb } = await import("@/lib/db/client");
  onCleanup("close the app's database client", () => closeDb());
  const { prepareDatabase } = await import("@/lib/startup");
  const { hashPassword } = await import("@/lib/auth/password");
  const db = await prepareDatabase();
  const slug = readdirSync(path.join(root, "content", "articles")).filter((f) => f.endsWith(".md")).sort()[0]!.replace(/\.md$/, "");
  log(`seeding ${cfg.contributions} contributions on ${slug}`);
  const seeded = await seedContributions(db, { slug, contributions: cfg.contributions, authors: cfg.authors });
  const passwordHash = await hashPassword(PASSWORD);
  const createdAt = new Date(Date.now() - 2 * 24 * 3600_000);
  const writerEmails = Array.from({ length: cfg.writers }, (_, i) => `sse-writer-${i}@bench.invalid`);
  await db.user.createMany({ data: writerEmails.map((email, i) => ({ email, name: `SSE writer ${i}`, passwordHash, createdAt, role: "READER" as const })) });
  const article = await db.article.findUniqueOrThrow({
    where: { slug },
    select: { id: true, moderationPolicy: true, versions: { orderBy: { number: "desc" }, take: 1, select: { id: true, paragraphs: { orderBy: { position: "asc" }, select: { anchorId: true, text: true } } } } },
  });
  const version = article.versions[0]!;
  if (article.moderationPolicy !== "POST_MODERATION") log(`warning: ${slug} has moderation policy ${article.moderationPolicy}: anonymous streams hear only published contributions`);
  const world: World = { slug, versionId: version.id, paragraphs: version.paragraphs.map((p) => ({ ...p, wordStarts: wordStartsOf(p.text) })), writerEmails };
  const hub = await timeHubQueries(article.id, world.paragraphs.map((p) => p.anchorId));
  log(`hub queries from here: events read ${hub.readMs.toFixed(1)} ms, one paragraph's summary ${hub.summaryMs.toFixed(1)} ms (hottest ${hub.hotSummaryMs.toFixed(1)} ms)`);
  await closeDb();

  log(`scripts/server.mjs on 127.0.0.1:${cfg.port}`);
  const server = await startServer({
    cwd: root,
    port: cfg.port,
    readyPath: "/",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: dbUrl,
      NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
      NEXTAUTH_URL: `http://127.0.0.1:${cfg.port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      RATE_LIMIT_MULTIPLIER: String(cfg.multiplier),
    },
  });
  onCleanup("stop the server", () => server.stop());
  const serverPid = serverProcess(server.pid);
  const serverName = `${procStatus(serverPid)?.name ?? "?"} (pid ${serverPid}${serverPid === server.pid ? ": the server process itself" : `: a child of the server, pid ${server.pid}`})`;
  log(`server processes in the group: ${groupPids(server.pid).map((p) => `${p} ${procStatus(p)?.name} ${mib(procStatus(p)?.rss ?? 0)}`).join("; ")}`);
  const cookies = await signInAll(server.origin, writerEmails);

  // Warm-up (not counted): the page, a stream, and a few writes through it (JIT, route caches, pools).
  await (await fetch(`${server.origin}/articles/${slug}`)).text();
  {
    const warm = new SseClient();
    const agent = new http.Agent({ keepAlive: true });
    await warm.open(agent, server.origin, `/api/articles/${slug}/events`, 30_000);
    const rand = mulberry32(7);
    for (let i = 0; i < 5; i++) await post(server.origin, world, cookies[i % cookies.length]!, rand, i, "warm-up");
    await sleep(1000);
    if (warm.arrivals.length < 5) log(`warning: the warm-up stream received ${warm.arrivals.length} of 5 events`);
    warm.close();
    agent.destroy();
    await sleep(1000);
  }

  const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
  onCleanup("close the bench's pool", () => sql.end());
  const loadBefore = os.loadavg()[0]!;
  const phases: PhaseResult[] = [];
  const floor = cfg.floor && cfg.connections !== 1;
  if (floor) phases.push(await runPhase("N = 1 (floor)", 1, server, world, cookies, sql, cluster.dataDir, 101));
  phases.push(await runPhase(`N = ${int(cfg.connections)}`, cfg.connections, server, world, cookies, sql, cluster.dataDir, 202));
  // Once more with one stream after the N were closed: streams the hub did not let go of would still
  // cost CPU per write (and memory) here.
  if (floor) phases.push(await runPhase(`N = 1 after closing the ${int(cfg.connections)}`, 1, server, world, cookies, sql, cluster.dataDir, 303));
  const loadAfter = os.loadavg()[0]!;
  const published = seeded.published;

  const envKnobs = Object.keys(process.env)
    .filter((k) => /^BENCH_/.test(k))
    .sort()
    .map((k) => `${k}=${process.env[k]}`);
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const nextVersion = (JSON.parse(readFileSync(path.join(root, "node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  const markdown = renderMarkdown(phases, {
    date,
    command: [...envKnobs, "npm run bench:sse"].join(" "),
    commit,
    postgres: cluster.version,
    next: nextVersion,
    load: { before: loadBefore, after: loadAfter },
    seeded: cfg.contributions,
    published,
    paragraphs: world.paragraphs.length,
    hub,
    fdLimit: openFilesLimit(serverPid),
    serverName,
  });
  console.log(`\n${markdown}`);
  if (cfg.perfMd) writeMarkedSection(cfg.perfMd, markdown, { start: START, end: END, heading: "## Live margin (SSE)" });
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `sse-server-${date.replace(/:/g, "-")}.log`), server.log());
  writeFileSync(
    path.join(resultsDir, `sse-${date.replace(/:/g, "-")}.json`),
    JSON.stringify({ date, cfg, hub, phases }, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2),
  );
  log(`wrote ${cfg.perfMd ? `${path.relative(root, cfg.perfMd)} and ` : ""}bench/results/`);
  const failed = phases.filter((p) => p.checks.missing + p.checks.duplicates + p.checks.outOfOrder + p.checks.unexpected + p.checks.resets + p.checks.closed + p.checks.failedWrites > 0);
  if (failed.length) {
    log(`delivery check failed at N = ${failed.map((p) => p.connections).join(", ")}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  console.error(`[bench:sse] ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
