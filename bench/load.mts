// npm run bench:load — simulated users against the production server (`scripts/server.mjs`, what `npm start` runs) on a
// throwaway PostgreSQL: reading pages and paragraph lists, signing in, posting, editing,
// flagging, and moderators deciding. Three scenarios, each on a fresh database:
//   load     N users for BENCH_LOAD_DURATION seconds on one instance;
//   restart  the same, with `pg_ctl restart -m fast` half-way through (outage seen by clients);
//   two      two instances on one database, requests alternating between them (round-robin).
// Every write carries a client-generated marker; afterwards the database is checked for every
// write acknowledged with a 2xx. Writes its section of docs/perf.md ("Load and faults").
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { BUILD_ENV, ensureBuild } from "./lib/build";
import { cleanupStack } from "./lib/cleanup";
import { envNumber } from "./lib/env";
import { gitCommit } from "./lib/git";
import { loadSampler } from "./lib/loadavg";
import { percentile } from "./lib/measure";
import { CookieJar } from "./lib/moderation/http";
import { databaseUrl, recreateDatabase, startCluster, type Cluster } from "./lib/postgres";
import { mulberry32, picker, randomBody, randomClaim, wordStartsOf } from "./lib/random";
import { writeMarkedSection } from "./lib/report";
import { seedContributions } from "./lib/seed";
import { startServer, type Server } from "./lib/server";

const root = process.cwd();
const SCENARIOS = ["load", "restart", "two"] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const cfg = {
  pgPort: envNumber("BENCH_PG_PORT", 56434),
  ports: [envNumber("BENCH_PORT", 3310), envNumber("BENCH_PORT2", 3311)] as const,
  users: envNumber("BENCH_LOAD_USERS", 200),
  moderators: envNumber("BENCH_LOAD_MODERATORS", 2),
  durations: {
    load: envNumber("BENCH_LOAD_DURATION", 300),
    restart: envNumber("BENCH_LOAD_RESTART_DURATION", 120),
    two: envNumber("BENCH_LOAD_TWO_DURATION", 120),
  } satisfies Record<ScenarioName, number>,
  /** Mean pause between one user's requests (uniform 0.5×–1.5×). */
  thinkMs: envNumber("BENCH_LOAD_THINK_MS", 1000),
  /** Users start evenly spread over this many seconds (their sign-ins are argon2 verifications). */
  rampSeconds: envNumber("BENCH_LOAD_RAMP", 20),
  contributions: envNumber("BENCH_CONTRIBUTIONS", 5000),
  authors: envNumber("BENCH_AUTHORS", 250),
  /** RATE_LIMIT_MULTIPLIER for the servers: 200 users from one address, limiter still reachable. */
  multiplier: envNumber("BENCH_LOAD_RATE_LIMIT_MULTIPLIER", 20),
  scenarios: (process.env.BENCH_LOAD_SCENARIOS ?? SCENARIOS.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean) as ScenarioName[],
  build: process.env.BENCH_BUILD,
  perfMd: process.env.BENCH_PERF_MD === "-" ? null : path.resolve(root, process.env.BENCH_PERF_MD || "docs/perf.md"),
  requestTimeoutMs: 30_000,
};
for (const s of cfg.scenarios) if (!SCENARIOS.includes(s)) throw new Error(`BENCH_LOAD_SCENARIOS: unknown scenario ${s}`);

const { onCleanup, cleanup } = cleanupStack("bench:load");
const log = (msg: string) => console.log(`[bench:load] ${new Date().toISOString().slice(11, 19)} ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = "bench-load-password-0";

// ---- what every request records ----------------------------------------------------------
const ACTIONS = ["page", "home", "list", "sign-in", "post", "edit", "flag", "queue", "decide"] as const;
type Action = (typeof ACTIONS)[number];
/** Server-rendered pages (the rest are API calls). */
const PAGE_ACTIONS: readonly Action[] = ["page", "home"];
interface Sample {
  action: Action;
  /** ms since the scenario started, when the request was sent. */
  t: number;
  ms: number;
  /** HTTP status, or 0 for a network error / timeout. */
  status: number;
  instance: number;
}

interface Reply {
  status: number;
  body: unknown;
  res: Response | null;
}

class Recorder {
  samples: Sample[] = [];
  t0 = performance.now();
  private rr = 0;
  constructor(readonly origins: string[]) {}
  now() {
    return performance.now() - this.t0;
  }
  /** The next instance, round-robin. */
  instance() {
    return this.rr++ % this.origins.length;
  }
  async request(action: Action, method: string, p: string, opts: { cookie?: string | null; json?: unknown; form?: URLSearchParams; instance?: number } = {}): Promise<Reply> {
    const instance = opts.instance ?? this.instance();
    const origin = this.origins[instance]!;
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (method !== "GET") headers.origin = origin; // same-origin, as a browser sends it (CSRF rule)
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = opts.form.toString();
    }
    const t = this.now();
    try {
      const res = await fetch(origin + p, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(cfg.requestTimeoutMs) });
      const text = await res.text();
      const sample: Sample = { action, t, ms: this.now() - t, status: res.status, instance };
      this.samples.push(sample);
      let parsed: unknown = text;
      if ((res.headers.get("content-type") ?? "").includes("json")) {
        try {
          parsed = JSON.parse(text);
        } catch {
          /* keep the text */
        }
      }
      return { status: res.status, body: parsed, res };
    } catch {
      this.samples.push({ action, t, ms: this.now() - t, status: 0, instance });
      return { status: 0, body: null, res: null };
    }
  }
}

// ---- the data the users work with ---------------------------------------------------------
interface World {
  slug: string;
  versionId: string;
  paragraphs: { anchorId: string; text: string; wordStarts: number[] }[];
  /** Published contributions to flag (a hot subset, so that flags meet: 409s and auto-hides). */
  flagTargets: string[];
  userEmails: string[];
  moderatorEmails: string[];
  moderatorIds: Map<string, string>;
}

/** What the users were told succeeded: checked against the database afterwards. */
interface Ledger {
  posts: { id: string; marker: string }[];
  /** Per contribution: the edit markers in the order sent, and the index of the last one acknowledged. */
  edits: Map<string, { sent: string[]; acked: number }>;
  flags: string[];
  decisions: { id: string; fromVersion: number; decision: string; moderator: string; at: number }[];
  /** Writes whose answer was not a 2xx (or never came): they may or may not be applied. */
  unacknowledged: number;
}

interface Own {
  id: string;
  version: number;
  postMarker: string;
}

function think(rand: () => number) {
  return sleep(cfg.thinkMs * (0.5 + rand()));
}

async function signIn(rec: Recorder, email: string): Promise<string | null> {
  const instance = rec.instance();
  const origin = rec.origins[instance]!;
  const jar = new CookieJar();
  const t = rec.now();
  try {
    const csrfRes = await fetch(`${origin}/api/auth/csrf`, { signal: AbortSignal.timeout(cfg.requestTimeoutMs) });
    jar.take(csrfRes);
    const csrf = (await csrfRes.json().catch(() => ({}))) as { csrfToken?: string };
    if (!csrf.csrfToken) {
      rec.samples.push({ action: "sign-in", t, ms: rec.now() - t, status: csrfRes.status === 200 ? 0 : csrfRes.status, instance });
      return null;
    }
    const form = new URLSearchParams({ csrfToken: csrf.csrfToken, email, password: PASSWORD, json: "true", callbackUrl: `${origin}/` });
    const res = await fetch(`${origin}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin },
      body: form.toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(cfg.requestTimeoutMs),
    });
    await res.arrayBuffer();
    jar.take(res);
    const ok = jar.has("next-auth.session-token");
    // next-auth answers 200 (json=true) or a redirect; without a session cookie it did not sign in.
    const status = ok ? 200 : res.status >= 400 ? res.status : 401;
    rec.samples.push({ action: "sign-in", t, ms: rec.now() - t, status, instance });
    return ok ? jar.header() : null;
  } catch {
    rec.samples.push({ action: "sign-in", t, ms: rec.now() - t, status: 0, instance });
    return null;
  }
}

/** One simulated reader: reads, posts, edits their own, flags others', signs in again now and then. */
async function readerLoop(rec: Recorder, world: World, ledger: Ledger, email: string, seed: number, startDelay: number, stopAt: number) {
  const rand = mulberry32(seed);
  const pick = picker(rand);
  await sleep(startDelay);
  let cookie: string | null = null;
  const own: Own[] = [];
  while (rec.now() < stopAt) {
    if (!cookie) {
      cookie = await signIn(rec, email);
      if (!cookie) {
        // Refused (429: every simulated user shares 127.0.0.1's sign-in limit) or failed: wait.
        await sleep(5000 + rand() * 5000);
        continue;
      }
      await think(rand);
      continue;
    }
    const r = rand();
    const pi = Math.floor(rand() * world.paragraphs.length);
    const paragraph = world.paragraphs[pi]!;
    if (r < 0.25) {
      await rec.request("page", "GET", `/articles/${world.slug}`, { cookie });
    } else if (r < 0.3) {
      await rec.request("home", "GET", "/", { cookie });
    } else if (r < 0.62) {
      await rec.request("list", "GET", `/api/articles/${world.slug}/paragraphs/${paragraph.anchorId}/contributions`, { cookie });
    } else if (r < 0.75) {
      const marker = randomUUID();
      const { selector } = randomClaim(paragraph.text, paragraph.wordStarts, rand);
      const res = await rec.request("post", "POST", `/api/articles/${world.slug}/contributions`, {
        cookie,
        json: {
          anchorId: paragraph.anchorId,
          versionId: world.versionId,
          kind: rand() < 0.6 ? "ANNOTATION" : "COUNTERPOINT",
          body: `${randomBody(rand)} [m:${marker}]`,
          selector,
        },
      });
      const c = (res.body as { contribution?: { id: string; version: number } } | null)?.contribution;
      if (res.status >= 200 && res.status < 300 && c) {
        ledger.posts.push({ id: c.id, marker });
        own.push({ id: c.id, version: c.version, postMarker: marker });
        world.flagTargets.push(c.id);
      } else if (res.status !== 429 && !(res.status >= 400 && res.status < 500)) ledger.unacknowledged++;
    } else if (r < 0.87 && own.length > 0) {
      const mine = pick(own);
      // One edit in six is sent from an out-of-date view (a second tab): the answer must be 409.
      const stale = rand() < 1 / 6 && mine.version > 1;
      const marker = randomUUID();
      const entry = ledger.edits.get(mine.id) ?? { sent: [], acked: -1 };
      ledger.edits.set(mine.id, entry);
      entry.sent.push(marker);
      const res = await rec.request("edit", "PATCH", `/api/contributions/${mine.id}`, {
        cookie,
        json: { version: stale ? mine.version - 1 : mine.version, body: `${randomBody(rand)} [m:${mine.postMarker}] [e:${marker}]` },
      });
      const body = res.body as { contribution?: { version: number }; error?: { current?: { version: number } } } | null;
      if (res.status === 200 && body?.contribution) {
        entry.acked = entry.sent.length - 1;
        mine.version = body.contribution.version;
      } else if (res.status === 409 && body?.error?.current) {
        mine.version = body.error.current.version; // reload, as the form does
      } else if (res.status === 0 || res.status >= 500) ledger.unacknowledged++;
    } else if (r < 0.99) {
      const target = pick(world.flagTargets);
      const res = await rec.request("flag", "POST", `/api/contributions/${target}/flags`, {
        cookie,
        json: { reason: pick(["SPAM", "OFF_TOPIC", "MISINFORMATION", "HARASSMENT"]) },
      });
      const flagId = (res.body as { flagId?: string } | null)?.flagId;
      if (res.status === 201 && flagId) ledger.flags.push(flagId);
      else if (res.status === 0 || res.status >= 500) ledger.unacknowledged++;
    } else {
      cookie = null; // signs out (the cookie is dropped) and in again on the next turn
      continue;
    }
    await think(rand);
  }
}

interface QueueItemLite {
  id: string;
  version: number;
  status: string;
}

/** A moderator: reads the oldest of the queue and decides it. Two moderators race for the same item. */
async function moderatorLoop(rec: Recorder, world: World, ledger: Ledger, email: string, seed: number, startDelay: number, stopAt: number) {
  const rand = mulberry32(seed);
  await sleep(startDelay);
  let cookie: string | null = null;
  const moderator = world.moderatorIds.get(email)!;
  while (rec.now() < stopAt) {
    if (!cookie) {
      cookie = await signIn(rec, email);
      if (!cookie) await sleep(2000);
      continue;
    }
    const q = await rec.request("queue", "GET", "/api/admin/queue?limit=5", { cookie });
    const items = (q.body as { items?: QueueItemLite[] } | null)?.items ?? [];
    const item = items[0];
    if (item) {
      const decision = item.status === "PENDING" ? "PUBLISH" : item.status === "PUBLISHED" ? "KEEP" : "RESTORE";
      const res = await rec.request("decide", "POST", "/api/admin/decisions", { cookie, json: { decision, items: [{ id: item.id, version: item.version }] } });
      if (res.status === 200) ledger.decisions.push({ id: item.id, fromVersion: item.version, decision, moderator, at: rec.now() });
      else if (res.status === 0 || res.status >= 500) ledger.unacknowledged++;
    }
    await sleep(cfg.thinkMs * (0.5 + rand()));
  }
}

// ---- one scenario -----------------------------------------------------------------------
interface ActionFigures {
  action: Action;
  requests: number;
  ok: number;
  conflict: number;
  rateLimited: number;
  otherClientErrors: number;
  unavailable: number;
  serverErrors: number;
  networkErrors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface Checks {
  acknowledgedPosts: number;
  missingPosts: number;
  acknowledgedEdits: number;
  missingEdits: number;
  acknowledgedFlags: number;
  missingFlags: number;
  acknowledgedDecisions: number;
  /** Moderator decision rows in the audit log (should equal the acknowledged decisions, plus any unacknowledged that were applied). */
  decisionLogRows: number;
  missingDecisions: number;
  /** The same item and version decided twice (two moderators both told "done"). */
  doubleDecisions: number;
  unacknowledgedWrites: number;
  /** The most posts acknowledged in one fixed 60-s window (by the rows' createdAt), and the per-IP limit. */
  postsPerIpWindowMax: number;
  postsPerIpLimit: number;
  flagsAcknowledgedTotal: number;
  flagsPerIpLimit: number;
  /** Contributions whose openFlagCount differs from their OPEN flags. */
  flagCountMismatches: number;
}

interface Outage {
  restartAt: number;
  restartMs: number;
  firstFailure: number | null;
  lastFailure: number | null;
  failures: number;
  byStatus: Record<string, number>;
  /** Longest time a failed request took to fail (fail fast, not a hang). */
  slowestFailureMs: number;
  /** Requests sent before the restart that failed because of it, and the longest of them. */
  inFlightFailures: number;
  slowestInFlightFailureMs: number;
  failedP95Ms: number;
  /** From the moment pg_ctl said the server was back to the last failure (stale pooled connections). */
  failuresAfterBack: number;
  lastFailureAfterBackMs: number | null;
  byAction: Partial<Record<Action, Record<string, number>>>;
}

interface ScenarioResult {
  name: ScenarioName;
  instances: number;
  users: number;
  moderators: number;
  seconds: number;
  requests: number;
  rps: number;
  actions: ActionFigures[];
  checks: Checks;
  outage: Outage | null;
  probes: Probe[] | null;
  timeline: Record<number, Record<string, number>>;
  load: { before: number; min: number; max: number; mean: number; after: number };
  serverRestarts: number;
}

function figuresOf(samples: Sample[]): ActionFigures[] {
  return ACTIONS.map((action) => {
    const s = samples.filter((x) => x.action === action);
    const times = s.map((x) => x.ms).sort((a, b) => a - b);
    const count = (f: (st: number) => boolean) => s.filter((x) => f(x.status)).length;
    return {
      action,
      requests: s.length,
      ok: count((st) => st >= 200 && st < 400),
      conflict: count((st) => st === 409),
      rateLimited: count((st) => st === 429),
      otherClientErrors: count((st) => st >= 400 && st < 500 && st !== 409 && st !== 429),
      unavailable: count((st) => st === 503),
      serverErrors: count((st) => st >= 500 && st !== 503),
      networkErrors: count((st) => st === 0),
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      max: times.at(-1) ?? Number.NaN,
    };
  }).filter((f) => f.requests > 0);
}

async function verify(sql: pg.Pool, ledger: Ledger, limits: { postPerIp: number; flagsPerIp: number }): Promise<Checks> {
  const q = async <T,>(text: string, params: unknown[] = []) => (await sql.query(text, params)).rows as T[];
  const postRows = await q<{ id: string; body: string; createdAt: Date }>(`SELECT id, body, "createdAt" FROM "Contribution" WHERE id = ANY($1::uuid[])`, [ledger.posts.map((p) => p.id)]);
  const byId = new Map(postRows.map((r) => [r.id, r]));
  const missingPosts = ledger.posts.filter((p) => !byId.get(p.id)?.body.includes(`[m:${p.marker}]`)).length;
  const editIds = [...ledger.edits].filter(([, e]) => e.acked >= 0).map(([id]) => id);
  const editRows = await q<{ id: string; body: string }>(`SELECT id, body FROM "Contribution" WHERE id = ANY($1::uuid[])`, [editIds]);
  const editBodies = new Map(editRows.map((r) => [r.id, r.body]));
  let missingEdits = 0;
  for (const id of editIds) {
    const e = ledger.edits.get(id)!;
    const m = /\[e:([0-9a-f-]{36})\]/.exec(editBodies.get(id) ?? "");
    // The body holds the last acknowledged edit, or one sent after it (applied, answer lost).
    const at = m ? e.sent.indexOf(m[1]!) : -1;
    if (at < e.acked) missingEdits++;
  }
  // A flag reopened after a decision keeps its id: count distinct ids.
  const flagIds = [...new Set(ledger.flags)];
  const flagRows = await q<{ n: string }>(`SELECT count(*) AS n FROM "Flag" WHERE id = ANY($1::uuid[])`, [flagIds]);
  const moderatorIds = [...new Set(ledger.decisions.map((d) => d.moderator))];
  const logRows = await q<{ contributionId: string; actorId: string; action: string }>(
    `SELECT "contributionId", "actorId", action::text FROM "ModerationLog" WHERE action::text IN ('PUBLISH','HIDE','REJECT','RESTORE','KEEP') AND "actorId" IS NOT NULL`,
  );
  const logKeys = new Map<string, number>();
  for (const r of logRows) logKeys.set(`${r.contributionId}|${r.actorId}|${r.action}`, (logKeys.get(`${r.contributionId}|${r.actorId}|${r.action}`) ?? 0) + 1);
  let missingDecisions = 0;
  const need = new Map<string, number>();
  for (const d of ledger.decisions) need.set(`${d.id}|${d.moderator}|${d.decision}`, (need.get(`${d.id}|${d.moderator}|${d.decision}`) ?? 0) + 1);
  for (const [k, n] of need) missingDecisions += Math.max(0, n - (logKeys.get(k) ?? 0));
  const seen = new Map<string, number>();
  for (const d of ledger.decisions) seen.set(`${d.id}@${d.fromVersion}`, (seen.get(`${d.id}@${d.fromVersion}`) ?? 0) + 1);
  const doubleDecisions = [...seen.values()].filter((n) => n > 1).length;
  const windows = new Map<number, number>();
  for (const r of postRows) {
    const w = Math.floor(new Date(r.createdAt).getTime() / 60_000);
    windows.set(w, (windows.get(w) ?? 0) + 1);
  }
  const mismatch = await q<{ n: string }>(
    `SELECT count(*) AS n FROM "Contribution" c WHERE c."openFlagCount" <> (SELECT count(*) FROM "Flag" f WHERE f."contributionId" = c.id AND f.status = 'OPEN')`,
  );
  return {
    acknowledgedPosts: ledger.posts.length,
    missingPosts,
    acknowledgedEdits: editIds.length,
    missingEdits,
    acknowledgedFlags: ledger.flags.length,
    missingFlags: flagIds.length - Number(flagRows[0]!.n),
    acknowledgedDecisions: ledger.decisions.length,
    decisionLogRows: logRows.filter((r) => moderatorIds.includes(r.actorId)).length,
    missingDecisions,
    doubleDecisions,
    unacknowledgedWrites: ledger.unacknowledged,
    postsPerIpWindowMax: Math.max(0, ...windows.values()),
    postsPerIpLimit: limits.postPerIp,
    flagsAcknowledgedTotal: ledger.flags.length,
    flagsPerIpLimit: limits.flagsPerIp,
    flagCountMismatches: Number(mismatch[0]!.n),
  };
}

function outageOf(samples: Sample[], restartAt: number, backAt: number): Outage {
  const failed = (s: Sample) => s.status === 0 || s.status >= 500;
  // Requests still in flight at the restart or sent after it (a slow request sent before it can
  // fail when its connection is terminated), up to a minute after PostgreSQL is back.
  const window = samples.filter((s) => s.t + s.ms >= restartAt && s.t <= backAt + 60_000);
  const failures = window.filter(failed).sort((a, b) => a.t + a.ms - (b.t + b.ms));
  const byStatus: Record<string, number> = {};
  const byAction: Outage["byAction"] = {};
  for (const f of failures) {
    const k = f.status === 0 ? "network error" : String(f.status);
    byStatus[k] = (byStatus[k] ?? 0) + 1;
    const a = (byAction[f.action] ??= {});
    a[k] = (a[k] ?? 0) + 1;
  }
  // Failing fast: requests sent after the restart began (those in flight before it waited for it).
  const times = failures.filter((f) => f.t >= restartAt).map((f) => f.ms).sort((a, b) => a - b);
  const inFlight = failures.filter((f) => f.t < restartAt);
  const afterBack = failures.filter((f) => f.t >= backAt);
  return {
    restartAt,
    restartMs: backAt - restartAt,
    firstFailure: failures.length ? failures[0]!.t + failures[0]!.ms : null,
    lastFailure: failures.length ? Math.max(...failures.map((f) => f.t + f.ms)) : null,
    failures: failures.length,
    byStatus,
    slowestFailureMs: times.at(-1) ?? 0,
    inFlightFailures: inFlight.length,
    slowestInFlightFailureMs: Math.max(0, ...inFlight.map((f) => f.ms)),
    failedP95Ms: times.length ? percentile(times, 95) : 0,
    failuresAfterBack: afterBack.length,
    lastFailureAfterBackMs: afterBack.length ? Math.max(...afterBack.map((f) => f.t + f.ms)) - backAt : null,
    byAction,
  };
}

interface Probe {
  what: string;
  down: { status: number; ms: number; code: string | null; retryAfter: string | null };
  up: { status: number; ms: number };
}

/**
 * Stops PostgreSQL, sends one request of each kind (signed in as a reader who has posted), starts
 * it again and sends the same requests: what a client sees during a longer outage.
 */
async function probeWhileDown(load: Recorder, world: World, cluster: Cluster): Promise<Probe[]> {
  const rec = new Recorder(load.origins); // not counted with the load's figures
  const cookie = await signIn(rec, world.userEmails[0]!);
  const anchor = world.paragraphs[0]!;
  const claim = () => randomClaim(anchor.text, anchor.wordStarts, Math.random).selector;
  // The probing reader's own contribution, to edit while the database is down.
  const created = await rec.request("post", "POST", `/api/articles/${world.slug}/contributions`, {
    cookie,
    instance: 0,
    json: { anchorId: anchor.anchorId, versionId: world.versionId, kind: "ANNOTATION", body: `probe ${randomUUID()}`, selector: claim() },
  });
  const mine = (created.body as { contribution?: { id: string; version: number } } | null)?.contribution;
  if (!mine) throw new Error(`probe: could not post (${created.status})`);
  const requests: { what: string; send: () => Promise<Reply> }[] = [
    { what: `GET /articles/${world.slug} (page; its cache is dropped by every write)`, send: () => rec.request("page", "GET", `/articles/${world.slug}`, { cookie, instance: 0 }) },
    { what: "GET / (static page, no database)", send: () => rec.request("home", "GET", "/", { cookie, instance: 0 }) },
    { what: "GET /me/contributions (signed-in page)", send: () => rec.request("home", "GET", "/me/contributions", { cookie, instance: 0 }) },
    { what: "GET paragraph list (API)", send: () => rec.request("list", "GET", `/api/articles/${world.slug}/paragraphs/${anchor.anchorId}/contributions`, { cookie, instance: 0 }) },
    {
      what: "POST contribution (API, signed in)",
      send: () =>
        rec.request("post", "POST", `/api/articles/${world.slug}/contributions`, {
          cookie,
          instance: 0,
          json: { anchorId: anchor.anchorId, versionId: world.versionId, kind: "ANNOTATION", body: `probe ${randomUUID()}`, selector: claim() },
        }),
    },
    {
      what: "PATCH own contribution (API, signed in)",
      send: () => rec.request("edit", "PATCH", `/api/contributions/${mine.id}`, { cookie, instance: 0, json: { version: mine.version, body: `probe edit ${randomUUID()}` } }),
    },
    { what: "GET /api/auth/session (signed in)", send: () => rec.request("home", "GET", "/api/auth/session", { cookie, instance: 0 }) },
  ];
  log("probe: stopping PostgreSQL");
  await cluster.ctl("stop");
  const down = [];
  for (const r of requests) {
    const t = performance.now();
    const res = await r.send();
    const body = res.body as { error?: { code?: string }; user?: { id?: string } } | null;
    const code = body?.error?.code ?? (r.what.includes("session") ? (body?.user?.id ? "session kept" : "signed out") : null);
    down.push({ status: res.status, ms: performance.now() - t, code, retryAfter: res.res?.headers.get("retry-after") ?? null });
  }
  log("probe: starting PostgreSQL");
  await cluster.ctl("start");
  const out: Probe[] = [];
  for (const [i, r] of requests.entries()) {
    const t = performance.now();
    const res = await r.send();
    out.push({ what: r.what, down: down[i]!, up: { status: res.status, ms: performance.now() - t } });
  }
  return out;
}

async function runScenario(name: ScenarioName, cluster: Cluster, secret: string): Promise<ScenarioResult> {
  const duration = cfg.durations[name] * 1000;
  const instances = name === "two" ? 2 : 1;
  const dbName = `annotated_load_${name}`;
  const adminUrl = `${cluster.serverUrl}/postgres`;
  await recreateDatabase(adminUrl, dbName);
  const dbUrl = databaseUrl(adminUrl, dbName);

  // Migrate, load content/ and seed with the app's own code.
  const { closeDb } = await import("@/lib/db/client");
  const { prepareDatabase } = await import("@/lib/startup");
  const { resetEnvCache } = await import("@/lib/env");
  const { hashPassword } = await import("@/lib/auth/password");
  await closeDb();
  process.env.DATABASE_URL = dbUrl;
  resetEnvCache();
  const db = await prepareDatabase(); // migrates and loads content/
  const slug = readdirSync(path.join(root, "content", "articles")).filter((f) => f.endsWith(".md")).sort()[0]!.replace(/\.md$/, "");
  log(`${name}: seeding ${cfg.contributions} contributions, ${cfg.users} readers, ${cfg.moderators} moderators`);
  await seedContributions(db, { slug, contributions: cfg.contributions, authors: cfg.authors });
  // Accounts: one argon2 hash (the app's own hashPassword) shared by all, two days old (not "new").
  const passwordHash = await hashPassword(PASSWORD);
  const createdAt = new Date(Date.now() - 2 * 24 * 3600_000);
  const userEmails = Array.from({ length: cfg.users }, (_, i) => `load-reader-${i}@bench.invalid`);
  const moderatorEmails = Array.from({ length: cfg.moderators }, (_, i) => `load-moderator-${i}@bench.invalid`);
  await db.user.createMany({
    data: [
      ...userEmails.map((email, i) => ({ email, name: `Load reader ${i}`, passwordHash, createdAt, role: "READER" as const })),
      ...moderatorEmails.map((email, i) => ({ email, name: `Load moderator ${i}`, passwordHash, createdAt, role: "MODERATOR" as const })),
    ],
  });
  const mods = await db.user.findMany({ where: { email: { in: moderatorEmails } }, select: { id: true, email: true } });
  const article = await db.article.findUniqueOrThrow({
    where: { slug },
    select: { versions: { orderBy: { number: "desc" }, take: 1, select: { id: true, paragraphs: { orderBy: { position: "asc" }, select: { anchorId: true, text: true } } } } },
  });
  const version = article.versions[0]!;
  const published = await db.contribution.findMany({ where: { status: "PUBLISHED", deletedAt: null }, select: { id: true }, orderBy: { id: "asc" }, take: 300 });
  await closeDb();
  const world: World = {
    slug,
    versionId: version.id,
    paragraphs: version.paragraphs.map((p) => ({ ...p, wordStarts: wordStartsOf(p.text) })),
    flagTargets: published.map((p) => p.id),
    userEmails,
    moderatorEmails,
    moderatorIds: new Map(mods.map((m) => [m.email, m.id])),
  };

  // The servers.
  const servers: Server[] = [];
  for (let i = 0; i < instances; i++) {
    const port = cfg.ports[i]!;
    log(`${name}: scripts/server.mjs on 127.0.0.1:${port}`);
    const server = await startServer({
      cwd: root,
      port,
      readyPath: "/",
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: dbUrl,
        NEXTAUTH_SECRET: secret,
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        NEXT_TELEMETRY_DISABLED: "1",
        RATE_LIMIT_MULTIPLIER: String(cfg.multiplier),
      },
    });
    servers.push(server);
  }
  const pids = servers.map((s) => s.pid);

  // Load.
  const rec = new Recorder(servers.map((s) => s.origin));
  const ledger: Ledger = { posts: [], edits: new Map(), flags: [], decisions: [], unacknowledged: 0 };
  const stopAt = duration;
  const loadBefore = os.loadavg()[0]!;
  const sampler = loadSampler();
  log(`${name}: ${cfg.users} users + ${cfg.moderators} moderators for ${duration / 1000} s on ${instances} instance(s) (ramp ${cfg.rampSeconds} s)`);
  const loops = [
    ...userEmails.map((email, i) => readerLoop(rec, world, ledger, email, 1000 + i, (i / cfg.users) * cfg.rampSeconds * 1000, stopAt)),
    ...moderatorEmails.map((email, i) => moderatorLoop(rec, world, ledger, email, 9000 + i, cfg.rampSeconds * 1000 * (0.5 + i / (2 * cfg.moderators)), stopAt)),
  ];
  let outage: Outage | null = null;
  let restart: Promise<{ at: number; back: number }> | null = null;
  if (name === "restart") {
    restart = (async () => {
      await sleep(duration / 2);
      const at = rec.now();
      log(`restart: pg_ctl restart -m fast`);
      await cluster.ctl("restart");
      const back = rec.now();
      log(`restart: PostgreSQL accepts connections again after ${((back - at) / 1000).toFixed(1)} s`);
      return { at, back };
    })();
  }
  const progress = setInterval(() => {
    const n = rec.samples.length;
    const bad = rec.samples.filter((s) => s.status === 0 || s.status >= 500).length;
    log(`${name}: ${(rec.now() / 1000).toFixed(0)} s, ${n} requests, ${bad} failed; load ${os.loadavg()[0]!.toFixed(2)}`);
  }, 30_000);
  await Promise.all(loops);
  clearInterval(progress);
  const seconds = rec.now() / 1000;
  const loadDuring = sampler.stop();
  const loadAfter = os.loadavg()[0]!;
  if (restart) {
    const r = await restart;
    outage = outageOf(rec.samples, r.at, r.back);
  }
  // While the database is down (stopped, not restarting): what each kind of request answers.
  let probes: Probe[] | null = null;
  if (name === "restart") probes = await probeWhileDown(rec, world, cluster);
  // Every server is still the process it was (recovered by itself, not restarted).
  const serverRestarts = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }).length;
  // The servers' last log lines, for any 5xx (bench/results/ is git-ignored).
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  servers.forEach((s, i) => writeFileSync(path.join(resultsDir, `load-${name}-server${i + 1}.log`), s.log()));
  for (const s of servers) await s.stop();

  const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const m = cfg.multiplier;
  const checks = await verify(sql, ledger, { postPerIp: 30 * m, flagsPerIp: 60 * m });
  await sql.end();
  // Per second: answers by kind (in the JSON only), to see an outage's shape.
  const timeline: Record<number, Record<string, number>> = {};
  for (const x of rec.samples) {
    const sec = Math.floor(x.t / 1000);
    const k = x.status === 0 ? "net" : x.status === 503 ? "503" : x.status >= 500 ? "5xx" : "ok";
    const row = (timeline[sec] ??= {});
    row[k] = (row[k] ?? 0) + 1;
  }
  return {
    name,
    instances,
    timeline,
    users: cfg.users,
    moderators: cfg.moderators,
    seconds,
    requests: rec.samples.length,
    rps: rec.samples.length / seconds,
    actions: figuresOf(rec.samples),
    checks,
    outage,
    probes,
    load: { before: loadBefore, ...loadDuring, after: loadAfter },
    serverRestarts,
  };
}

// ---- report -------------------------------------------------------------------------------
const START = "<!-- bench:load:start (written by `npm run bench:load`; edits inside are overwritten) -->";
const END = "<!-- bench:load:end -->";
const ms = (v: number) => (!Number.isFinite(v) ? "–" : v < 10 ? v.toFixed(1) : v.toFixed(0));
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const TITLES: Record<ScenarioName, string> = {
  load: "Load: one instance",
  restart: "PostgreSQL restart mid-load (`pg_ctl restart -m fast`)",
  two: "Two instances on one database (requests alternate between them)",
};

function renderScenario(r: ScenarioResult): string {
  const c = r.checks;
  const fiveXx = r.actions.reduce((n, a) => n + a.serverErrors, 0);
  const pageFiveXx = r.actions.filter((a) => PAGE_ACTIONS.includes(a.action)).reduce((n, a) => n + a.serverErrors, 0);
  const unavailable = r.actions.reduce((n, a) => n + a.unavailable, 0);
  const net = r.actions.reduce((n, a) => n + a.networkErrors, 0);
  const lines = [
    `#### ${TITLES[r.name]}`,
    "",
    `${r.users} users + ${r.moderators} moderators, ${r.seconds.toFixed(0)} s, ${r.instances} instance${r.instances > 1 ? "s" : ""}: ${int(r.requests)} requests, **${r.rps.toFixed(1)} requests/s**. 1-minute load average ${r.load.before.toFixed(2)} before, ${r.load.min.toFixed(2)}–${r.load.max.toFixed(2)} (mean ${r.load.mean.toFixed(2)}) during, ${r.load.after.toFixed(2)} after.`,
    "",
    "| Action | requests | 2xx/3xx | 409 | 429 | other 4xx | 503 | other 5xx | network errors | p50 ms | p95 ms | p99 ms | max ms |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.actions.map(
      (a) =>
        `| ${a.action} | ${int(a.requests)} | ${int(a.ok)} | ${int(a.conflict)} | ${int(a.rateLimited)} | ${int(a.otherClientErrors)} | ${int(a.unavailable)} | ${int(a.serverErrors)} | ${int(a.networkErrors)} | ${ms(a.p50)} | ${ms(a.p95)} | ${ms(a.p99)} | ${ms(a.max)} |`,
    ),
    "",
    `- 5xx other than 503: **${fiveXx}** (pages ${pageFiveXx}, API ${fiveXx - pageFiveXx}); 503: ${unavailable}; network errors/timeouts: ${net}. Server processes restarted: ${r.serverRestarts}.`,
    `- Acknowledged writes missing from the database: **${c.missingPosts + c.missingEdits + c.missingFlags + c.missingDecisions}** (posts ${c.missingPosts} of ${int(c.acknowledgedPosts)}, edits ${c.missingEdits} of ${int(c.acknowledgedEdits)} contributions edited, flags ${c.missingFlags} of ${int(c.acknowledgedFlags)}, decisions ${c.missingDecisions} of ${int(c.acknowledgedDecisions)}); writes answered with a 5xx or no answer: ${c.unacknowledgedWrites}.`,
    `- Moderation: ${int(c.acknowledgedDecisions)} decisions acknowledged, ${int(c.decisionLogRows)} decision rows in the audit log, **${c.doubleDecisions}** items decided twice at the same version; contributions whose open-flag counter disagrees with their open flags: ${c.flagCountMismatches}.`,
    `- Rate limits (×${cfg.multiplier}): at most ${c.postsPerIpWindowMax} posts acknowledged in one 60-s window (per-address limit ${c.postsPerIpLimit}); ${int(c.flagsAcknowledgedTotal)} flags acknowledged in the day window (per-address limit ${int(c.flagsPerIpLimit)}).`,
  ];
  if (r.outage) {
    const o = r.outage;
    const span = o.firstFailure !== null && o.lastFailure !== null ? (o.lastFailure - o.firstFailure) / 1000 : 0;
    const firstAfter = o.firstFailure !== null ? (o.firstFailure - o.restartAt) / 1000 : 0;
    const statuses = Object.entries(o.byStatus).map(([k, v]) => `${v} × ${k}`).join(", ") || "none";
    const perAction = Object.entries(o.byAction)
      .map(([a, s]) => `${a}: ${Object.entries(s!).map(([k, v]) => `${v} × ${k}`).join(", ")}`)
      .join("; ");
    lines.push(
      `- Restart at ${(o.restartAt / 1000).toFixed(1)} s; \`pg_ctl restart -m fast\` returned (server accepting connections) after ${(o.restartMs / 1000).toFixed(2)} s; the first failed answer came ${firstAfter.toFixed(2)} s after the restart began.`,
      `- **Outage seen by clients: ${span.toFixed(2)} s** (from the first failed answer to the last); ${o.failures} failed requests: ${statuses}${perAction ? ` (${perAction})` : ""}.`,
      `- Failing fast: of the failed requests sent after the restart began, the slowest took ${ms(o.slowestFailureMs)} ms (p95 ${ms(o.failedP95Ms)} ms); ${o.inFlightFailures} sent before it failed when their connection was terminated (the longest had been waiting ${ms(o.slowestInFlightFailureMs)} ms in all). After PostgreSQL was back: ${o.failuresAfterBack} failures${o.lastFailureAfterBackMs !== null ? `, the last one answered ${(o.lastFailureAfterBackMs / 1000).toFixed(2)} s later` : ""}.`,
    );
  }
  if (r.probes) {
    lines.push(
      "",
      "While PostgreSQL is stopped (after the load; one request each, then the same once it is started again):",
      "",
      "| Request | status while down | answered in ms | error code | Retry-After | status once back |",
      "|---|---:|---:|---|---:|---:|",
      ...r.probes.map((p) => `| ${p.what} | ${p.down.status || "no answer"} | ${ms(p.down.ms)} | ${p.down.code ?? "–"} | ${p.down.retryAfter ?? "–"} | ${p.up.status} |`),
    );
  }
  return lines.join("\n");
}

function renderMarkdown(results: ScenarioResult[], meta: { date: string; command: string; commit: string; postgres: string; next: string }): string {
  const cpus = os.cpus();
  return [
    `### Latest run — ${meta.date}`,
    "",
    `- Command: \`${meta.command}\` (commit \`${meta.commit}\`)`,
    `- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}; PostgreSQL ${meta.postgres} (default settings); Next.js ${meta.next} (\`scripts/server.mjs\`, what \`npm start\` runs). **Shared machine**: other agents' builds and tests ran at the same time; the load averages below say how busy it was. Server(s), PostgreSQL and the simulated users all run on these ${cpus.length} CPUs.`,
    `- Data: ${int(cfg.contributions)} seeded contributions (bench/lib/seed.ts); ${cfg.users} readers and ${cfg.moderators} moderators created directly in the database with the app's own password hash. Users start evenly over ${cfg.rampSeconds} s (their sign-ins included), think ${cfg.thinkMs * 0.5}–${cfg.thinkMs * 1.5} ms between requests; requests time out after ${cfg.requestTimeoutMs / 1000} s. RATE_LIMIT_MULTIPLIER=${cfg.multiplier}.`,
    "",
    ...results.flatMap((r) => [renderScenario(r), ""]),
  ].join("\n");
}

async function main(): Promise<void> {
  const commit = gitCommit(root);
  ensureBuild(root, cfg.build, { ...process.env, ...BUILD_ENV }, log);
  log(`starting a throwaway PostgreSQL cluster on 127.0.0.1:${cfg.pgPort}`);
  const cluster = await startCluster(cfg.pgPort);
  onCleanup("stop PostgreSQL", () => cluster.stop());
  onCleanup("close the app's database client", async () => (await import("@/lib/db/client")).closeDb());
  const secret = randomBytes(24).toString("hex");
  const results: ScenarioResult[] = [];
  for (const name of cfg.scenarios) {
    const r = await runScenario(name, cluster, secret);
    results.push(r);
    console.log(`\n${renderScenario(r)}\n`);
  }
  const envKnobs = Object.keys(process.env)
    .filter((k) => /^BENCH_/.test(k))
    .sort()
    .map((k) => `${k}=${process.env[k]}`);
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const nextVersion = (JSON.parse(readFileSync(path.join(root, "node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  const markdown = renderMarkdown(results, { date, command: [...envKnobs, "npm run bench:load"].join(" "), commit, postgres: cluster.version, next: nextVersion });
  if (cfg.perfMd) writeMarkedSection(cfg.perfMd, markdown, { start: START, end: END, heading: "## Load and faults" });
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `load-${date.replace(/:/g, "-")}.json`), JSON.stringify({ date, cfg, results }, null, 2));
  log(`wrote ${cfg.perfMd ? `${path.relative(root, cfg.perfMd)} and ` : ""}bench/results/`);
  const failed = results.filter((r) => {
    const c = r.checks;
    const lost = c.missingPosts + c.missingEdits + c.missingFlags + c.missingDecisions;
    const fiveXx = r.actions.reduce((n, a) => n + a.serverErrors, 0);
    const apiFiveXx = r.actions.filter((a) => !PAGE_ACTIONS.includes(a.action)).reduce((n, a) => n + a.serverErrors, 0);
    // During a restart pages answer 500 (error.tsx; see docs/decisions/0025-database-outages.md): only the API must answer 503.
    return lost > 0 || c.doubleDecisions > 0 || r.serverRestarts > 0 || (r.name === "restart" ? apiFiveXx : fiveXx) > 0;
  });
  if (failed.length) {
    log(`targets missed in: ${failed.map((r) => r.name).join(", ")}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  console.error(`[bench:load] ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
