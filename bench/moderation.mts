// npm run bench:moderation — the moderation queue and bulk decisions with 10,000 pending
// contributions, against the production server (`scripts/server.mjs`, what `npm start` runs) on a real PostgreSQL.
// Seeds a throwaway cluster, builds and starts a copy of this checkout, signs in as a
// moderator and measures: GET /api/admin/queue (first page, a filter, a deep page, a flag
// reason), the /admin page, and POST /api/admin/decisions with 500 items (applied, and with one
// stale item: 409, nothing applied), checking the database after each; EXPLAIN (ANALYZE,
// BUFFERS) of the queue's SQL. Writes its section of docs/perf.md. See docs/perf.md
// ("Moderation: queue and bulk decisions") for what is measured and the BENCH_MOD_* knobs.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { cleanupStack } from "./lib/cleanup";
import { envNumber } from "./lib/env";
import { gitCommit as commitOf } from "./lib/git";
import { loadSampler } from "./lib/loadavg";
import { cpuAvailable, postmasterPid, sampleCpu } from "./lib/cpu";
import { databaseUrl, recreateDatabase, startCluster } from "./lib/postgres";
import { startServer, type Server } from "./lib/server";
import { captureQueries, explainQueue } from "./lib/moderation/explain";
import type { Figures } from "./lib/measure";
import { backgroundLoad, runAuthedScenario, signIn, timedFetch, type AuthedScenarioFigures, type BackgroundLoad } from "./lib/moderation/http";
import {
  median,
  renderMarkdown,
  verdicts,
  writeSection,
  type BulkRun,
  type DecideProfile,
  type ModerationReport,
  type PageFigures,
  type StaleRun,
} from "./lib/moderation/report";
import { seedModeration, topUpPending } from "./lib/moderation/seed";

// By default the script copies the checkout to BENCH_MOD_APP_DIR and runs itself again inside
// the copy (BENCH_MOD_IN_COPY=1), so that the seeding code, the migrations, the build and the
// server all come from one snapshot while other work goes on in the checkout. `origin` is the
// checkout it was started from: docs/perf.md, bench/results/ and the commit are taken from there.
const root = process.cwd();
const inCopy = process.env.BENCH_MOD_IN_COPY === "1";
const origin = inCopy ? path.resolve(process.env.BENCH_MOD_ORIGIN ?? root) : root;
const args = process.argv.slice(2);

const cfg = {
  dbName: "annotated_bench_mod",
  pgPort: envNumber("BENCH_MOD_PG_PORT", 56433),
  port: envNumber("BENCH_MOD_PORT", 3301),
  pending: envNumber("BENCH_MOD_PENDING", 10_000),
  published: envNumber("BENCH_MOD_PUBLISHED", 10_000),
  flagged: envNumber("BENCH_MOD_FLAGGED", 500),
  appealed: envNumber("BENCH_MOD_APPEALED", 100),
  authors: envNumber("BENCH_MOD_AUTHORS", 1_000),
  history: envNumber("BENCH_MOD_HISTORY", 3_000),
  spreadDays: envNumber("BENCH_MOD_SPREAD_DAYS", 30),
  bulkSize: envNumber("BENCH_MOD_BULK", 500),
  bulkRuns: envNumber("BENCH_MOD_BULK_RUNS", 5),
  staleRuns: envNumber("BENCH_MOD_STALE_RUNS", 5),
  deepPosition: envNumber("BENCH_MOD_DEEP", 9_000),
  loadedBulkRuns: envNumber("BENCH_MOD_LOADED_BULK_RUNS", 3),
  connections: envNumber("BENCH_CONNECTIONS", 20),
  duration: envNumber("BENCH_DURATION", 10),
  sequentialRequests: envNumber("BENCH_SEQUENTIAL", 200),
  warmupSeconds: envNumber("BENCH_WARMUP", 3),
  /** Build and run the server in this copy of the checkout (default), or in place with --in-place. */
  inPlace: args.includes("--in-place"),
  /** An experiment: a patch (git diff of the app) applied to the copy before the build. */
  patch: (() => {
    const i = args.indexOf("--patch");
    return i === -1 ? undefined : path.resolve(origin, args[i + 1] ?? "");
  })(),
  /** Development only: reuse the copy and its build from a previous run with BENCH_MOD_KEEP_COPY=1. */
  reuseCopy: process.env.BENCH_MOD_REUSE_COPY === "1",
  appDir: path.resolve(process.env.BENCH_MOD_APP_DIR || "/tmp/modbench-run"),
  keepCopy: process.env.BENCH_MOD_KEEP_COPY === "1",
  /** docs/perf.md, except in an experiment (--patch), which writes only bench/results unless BENCH_PERF_MD is set. */
  perfMd: process.env.BENCH_PERF_MD ? path.resolve(origin, process.env.BENCH_PERF_MD) : args.includes("--patch") ? null : path.resolve(origin, "docs/perf.md"),
};
const QUEUE_INDEX = "Contribution_queuedAt_idx";

// ---- cleanup, run in reverse order on success, error and Ctrl-C ----------------------------
const { onCleanup, cleanup } = cleanupStack("bench:moderation");
const log = (msg: string) => console.log(`[bench:moderation] ${msg}`);

function gitCommit(): string {
  // Inside the copy: the commit of the checkout when it was copied (passed by the outer process).
  if (inCopy && process.env.BENCH_MOD_COMMIT) return process.env.BENCH_MOD_COMMIT;
  return commitOf(origin);
}

/** A copy of the checkout without node_modules, .next, .git and local data; node_modules symlinked. */
function copyCheckout(dest: string): void {
  if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const excludes = [".git", "node_modules", ".next", ".data", "test-results", "playwright-report", "coverage", "bench/results", "tsconfig.tsbuildinfo"];
  const tar = `tar -C ${JSON.stringify(root)} ${excludes.map((e) => `--exclude=./${e}`).join(" ")} -cf - . | tar -C ${JSON.stringify(dest)} -xf -`;
  execFileSync("bash", ["-o", "pipefail", "-c", tar], { stdio: "pipe" });
  const modules = realpathSync(path.join(root, "node_modules"));
  symlinkSync(modules, path.join(dest, "node_modules"));
  // Turbopack refuses to resolve through a symlink that leaves its root (the directory of the
  // nearest lockfile: the copy): "Could not find the Next.js package". So the copy's build
  // root is widened to the deepest directory holding both the copy and the real node_modules.
  // This changes where Turbopack may read files from, nothing else; the app's own
  // next.config.js is loaded unchanged by the wrapper.
  let common = path.resolve(dest);
  while (path.relative(common, modules).startsWith("..")) common = path.dirname(common);
  const cfgFile = path.join(dest, "next.config.js");
  if (existsSync(cfgFile)) {
    renameSync(cfgFile, path.join(dest, "next.config.app.js"));
    writeFileSync(
      cfgFile,
      [
        "// Written by bench/moderation.mts in its throwaway copy: the app's config, with the build",
        "// root widened so that Turbopack may follow the node_modules symlink.",
        'const app = require("./next.config.app.js");',
        `const root = ${JSON.stringify(common)};`,
        "module.exports = { ...app, outputFileTracingRoot: root, turbopack: { ...(app.turbopack || {}), root } };",
        "",
      ].join("\n"),
    );
  }
}

/** The server's log lines for a 500 answer (its requestId), shortened to the error's message. */
function serverError(server: Server, body: unknown): string {
  const id = (body as { error?: { requestId?: string; message?: string } }).error?.requestId;
  const msg = (body as { error?: { message?: string } }).error?.message ?? JSON.stringify(body).slice(0, 200);
  if (!id) return msg;
  const lines = server.log().split("\n");
  const at = lines.findIndex((l) => l.includes(id));
  if (at === -1) return msg;
  const detail = lines.slice(at, at + 40).find((l) => /Transaction API error|timeout|expired|Error:/i.test(l) && !l.includes(id));
  return detail ? detail.trim().slice(0, 300) : msg;
}

interface QueueItem {
  id: string;
  version: number;
  kind: string;
  status: string;
  queuedAt: string;
}
interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

// ---- main ---------------------------------------------------------------------------------
async function main(): Promise<void> {
  const appDir = root;

  // 1. PostgreSQL: a throwaway cluster (never an existing server: this benchmark writes a lot).
  log(`starting a throwaway PostgreSQL cluster on 127.0.0.1:${cfg.pgPort}`);
  const cluster = await startCluster(cfg.pgPort);
  onCleanup("stop PostgreSQL", () => cluster.stop());
  const adminUrl = `${cluster.serverUrl}/postgres`;
  await recreateDatabase(adminUrl, cfg.dbName);
  const dbUrl = databaseUrl(adminUrl, cfg.dbName);
  const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
  onCleanup("close the checking pool", () => sql.end());
  const q1 = async <T,>(text: string, params: unknown[] = []) => (await sql.query(text, params)).rows[0] as T;
  const countOf = async (text: string, params: unknown[] = []) => Number((await q1<{ n: string }>(text, params)).n);

  // 2. Migrate, load content and seed with the app's own code.
  process.env.DATABASE_URL = dbUrl;
  const { closeDb, withSql } = await import("@/lib/db/client");
  const { prepareDatabase } = await import("@/lib/startup");
  const db = await prepareDatabase();
  onCleanup("close the app's database client", () => closeDb());
  log(`seeding ${cfg.pending} pending, ${cfg.flagged} flagged, ${cfg.appealed} appealed, ${cfg.published} published contributions`);
  const seeded = await seedModeration(db, withSql, cfg);
  log(`seeded in ${seeded.seconds.toFixed(1)} s`);

  // 3. The copy of the checkout, its build, and the moderator (the operator CLI, audit-logged).
  const secret = randomBytes(24).toString("hex");
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: dbUrl,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: `http://127.0.0.1:${cfg.port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // In the copy: always build (unless reusing a previous run's copy); in place: only without a build.
  const built = existsSync(path.join(appDir, ".next", "BUILD_ID"));
  if ((inCopy && !(cfg.reuseCopy && built)) || !built || process.env.BENCH_BUILD === "1") {
    log(`next build in ${appDir}`);
    const t0 = performance.now();
    const nextBin = path.join(appDir, "node_modules", "next", "dist", "bin", "next");
    // Asynchronous and in its own process group, so that Ctrl-C/SIGTERM stops it (and its workers).
    const build = spawn(process.execPath, [nextBin, "build"], { cwd: appDir, env: serverEnv, stdio: "inherit", detached: true });
    const buildExit = new Promise<number | string>((resolve) => build.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
    onCleanup("stop next build", () => {
      if (build.exitCode !== null || build.signalCode !== null || build.pid === undefined) return;
      try {
        process.kill(-build.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      return buildExit;
    });
    const status = await buildExit;
    if (status !== 0) throw new Error(`next build failed (exit ${status})`);
    log(`built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const email = "bench-moderator@bench.invalid";
  const password = randomBytes(18).toString("base64url");
  const tsx = path.join(appDir, "node_modules", ".bin", "tsx");
  const created = spawnSync(tsx, ["scripts/create-user.mts", "--email", email, "--name", "Bench moderator", "--role", "MODERATOR"], {
    cwd: appDir,
    env: { ...process.env, DATABASE_URL: dbUrl, NEW_USER_PASSWORD: password },
    encoding: "utf8",
  });
  if (created.status !== 0) throw new Error(`scripts/create-user.mts failed:\n${created.stdout}\n${created.stderr}`);
  const moderator = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, name: true, role: true, createdAt: true } });
  log(`moderator ${email} (${moderator.role})`);

  // 4. EXPLAIN (ANALYZE, BUFFERS) of the SQL the queue sends, before any load.
  const deep = await q1<{ queuedAt: Date; id: string }>(
    `SELECT "queuedAt", id FROM "Contribution" WHERE "queuedAt" IS NOT NULL AND "deletedAt" IS NULL
     ORDER BY "queuedAt", id OFFSET $1 LIMIT 1`,
    [cfg.deepPosition - 1],
  );
  if (!deep) throw new Error(`The queue has fewer than ${cfg.deepPosition} items`);
  const { encodeCursor } = await import("@/lib/http/cursor");
  const deepCursor = encodeCursor(deep.queuedAt, deep.id);
  const queueRequests: { label: string; query: Record<string, string>; expectIndex: boolean }[] = [
    { label: "First page", query: {}, expectIndex: true },
    { label: "Filtered: kind=COUNTERPOINT", query: { kind: "COUNTERPOINT" }, expectIndex: true },
    { label: `Deep page (cursor after item ${cfg.deepPosition})`, query: { cursor: deepCursor }, expectIndex: true },
    { label: "Filtered: reason=SPAM (open flags)", query: { reason: "SPAM" }, expectIndex: false },
  ];
  const explain: ModerationReport["explain"] = [];
  for (const r of queueRequests) {
    log(`EXPLAIN: ${r.label}`);
    const e = await explainQueue(dbUrl, moderator, r.query);
    explain.push({ label: r.label, query: new URLSearchParams(r.query).toString(), items: e.items, expectIndex: r.expectIndex, plans: e.plans });
  }

  // 5. next start, sign in.
  log(`scripts/server.mjs on 127.0.0.1:${cfg.port} (${appDir})`);
  const server: Server = await startServer({ cwd: appDir, port: cfg.port, env: serverEnv, readyPath: "/" });
  onCleanup("stop the server", () => server.stop());
  const cookie = await signIn(server.origin, email, password);
  const headers = { cookie };
  const get = <T,>(p: string) => timedFetch<T>(server.origin + p, { cookie });

  // Sanity: each queue request answers what it should.
  const paths = queueRequests.map((r) => `/api/admin/queue${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ""}`);
  for (const [i, p] of paths.entries()) {
    const res = await get<QueuePage>(p);
    if (res.status !== 200 || !Array.isArray(res.body.items)) throw new Error(`GET ${p}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    if (res.body.items.length !== 25) throw new Error(`GET ${p}: ${res.body.items.length} items, expected 25`);
    if (i === 1 && res.body.items.some((it) => it.kind !== "COUNTERPOINT")) throw new Error(`GET ${p}: a non-COUNTERPOINT item`);
    if (i === 2 && new Date(res.body.items[0]!.queuedAt) < deep.queuedAt) throw new Error(`GET ${p}: the deep page starts before its cursor`);
    if (res.body.items.length !== explain[i]!.items) log(`warning: ${p} gave ${res.body.items.length} items in-process vs ${explain[i]!.items}`);
  }

  // The /admin page: being built alongside; measure it if it renders the queue.
  let pageNote: string | null = null;
  let pageOk = false;
  let pageHtml = "";
  {
    const res = await get<string>("/admin");
    pageHtml = typeof res.body === "string" ? res.body : "";
    if (res.status === 200 && pageHtml.includes("Moderation queue")) pageOk = true;
    else if (res.status === 404) pageNote = "The `/admin` page does not exist in this checkout: only the API was measured.";
    else pageNote = `The \`/admin\` page answered ${res.status} without the queue (first bytes: ${JSON.stringify(pageHtml.slice(0, 120))}): not measured.`;
    if (pageNote) log(pageNote);
  }

  // 6. Measure.
  const loadCfg = { connections: cfg.connections, duration: cfg.duration, sequentialRequests: cfg.sequentialRequests, warmupSeconds: cfg.warmupSeconds };
  const cpuSources = { serverPgid: server.pid, postmasterPid: postmasterPid(cluster.dataDir) };
  const cpu = cpuAvailable() ? () => sampleCpu(cpuSources) : undefined;
  const loadBefore = os.loadavg()[0]!;
  if (loadBefore > os.cpus().length / 2) {
    log(`warning: the 1-minute load average is ${loadBefore.toFixed(2)} on ${os.cpus().length} CPUs — other work will skew the figures`);
  }
  const sampler = loadSampler();
  const queue: AuthedScenarioFigures[] = [];
  for (const [i, r] of queueRequests.entries()) {
    log(`measuring ${r.label}`);
    queue.push(await runAuthedScenario(server.origin, { name: r.label, path: paths[i]!, headers }, loadCfg, cpu));
  }
  let page: PageFigures | null = null;
  if (pageOk) {
    log("measuring the /admin page");
    const f = await runAuthedScenario(server.origin, { name: "Queue page", path: "/admin", headers }, loadCfg, cpu);
    const scripts = [...pageHtml.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].reduce((n, m) => n + Buffer.byteLength(m[1] ?? ""), 0);
    page = { ...f, bytes: Buffer.byteLength(pageHtml), gzipBytes: gzipSync(pageHtml).length, inlineScriptBytes: scripts };
  }

  // The items a moderator would select: the oldest pending, as the queue lists them.
  const pendingItems = async (n: number): Promise<{ id: string; version: number }[]> => {
    const out: { id: string; version: number }[] = [];
    let cursor: string | null = null;
    while (out.length < n) {
      const p: string = `/api/admin/queue?status=PENDING&limit=100${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await get<QueuePage>(p);
      if (res.status !== 200) throw new Error(`GET ${p}: ${res.status}`);
      out.push(...res.body.items.map((i) => ({ id: i.id, version: i.version })));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    if (out.length < n) throw new Error(`Only ${out.length} pending items in the queue`);
    return out.slice(0, n);
  };
  const pendingCount = () => countOf(`SELECT count(*) AS n FROM "Contribution" WHERE status = 'PENDING' AND "queuedAt" IS NOT NULL AND "deletedAt" IS NULL`);
  const publishedCount = () => countOf(`SELECT count(*) AS n FROM "Contribution" WHERE status = 'PUBLISHED'`);
  const logCount = () => countOf(`SELECT count(*) AS n FROM "ModerationLog"`);
  const post = (items: { id: string; version: number }[]) =>
    timedFetch<{ results?: unknown[]; error?: { code: string; message: string; current?: { id: string; reason: string }[] } }>(
      `${server.origin}/api/admin/decisions`,
      { method: "POST", cookie, headers: { "content-type": "application/json" }, body: JSON.stringify({ decision: "PUBLISH", items }) },
    );

  /** One bulk PUBLISH of the oldest pending items, checked in the database afterwards. */
  const bulkOnce = async (run: number, seed: number, during?: { start(): void; stop(): Promise<Figures> }): Promise<BulkRun> => {
    const toppedUp = await topUpPending(db, withSql, cfg.pending, cfg.spreadDays, seed);
    const items = await pendingItems(cfg.bulkSize);
    const [queueBefore, pubBefore, logBefore] = [await pendingCount(), await publishedCount(), await logCount()];
    log(`bulk PUBLISH run ${run}${during ? " (under queue-read load)" : ""}: ${items.length} items, queue ${queueBefore}`);
    during?.start();
    if (during) await new Promise((r) => setTimeout(r, 1000)); // let the readers get going
    const res = await post(items);
    const background = await during?.stop();
    const ids = items.map((i) => i.id);
    const published = await countOf(
      `SELECT count(*) AS n FROM "Contribution" c JOIN unnest($1::uuid[], $2::int[]) AS t(id, v) ON c.id = t.id
       WHERE c.status = 'PUBLISHED' AND c.version = t.v + 1 AND c."queuedAt" IS NULL`,
      [ids, items.map((i) => i.version)],
    );
    const logRows = await countOf(
      `SELECT count(*) AS n FROM "ModerationLog" WHERE "contributionId" = ANY($1::uuid[]) AND action = 'PUBLISH'
       AND "actorId" = $2::uuid AND "fromStatus" = 'PENDING' AND "toStatus" = 'PUBLISHED'`,
      [ids, moderator.id],
    );
    const [queueAfter, pubAfter, logAfter] = [await pendingCount(), await publishedCount(), await logCount()];
    const r: BulkRun = {
      run,
      items: items.length,
      ms: res.ms,
      status: res.status,
      queueBefore,
      toppedUp,
      published,
      logRows,
      logDelta: logAfter - logBefore,
      publishedDelta: pubAfter - pubBefore,
      pendingDelta: queueAfter - queueBefore,
      ok: false,
      ...(background ? { background: { requests: background.requests, rps: background.rps, p95: background.p95 } } : {}),
    };
    const n = items.length;
    r.ok = res.status === 200 && res.body.results?.length === n && published === n && logRows === n && r.logDelta === n && r.publishedDelta === n && r.pendingDelta === -n;
    if (res.status !== 200) {
      // All or nothing: a failed request must have applied nothing.
      r.atomic = published === 0 && logRows === 0 && r.logDelta === 0 && r.publishedDelta === 0 && r.pendingDelta === 0;
      r.error = serverError(server, res.body);
    }
    if (!r.ok) log(`run ${run} failed its checks: ${JSON.stringify({ ...r, body: JSON.stringify(res.body).slice(0, 300) })}`);
    log(`  ${res.status} in ${res.ms.toFixed(0)} ms; ${published} published, ${logRows} log rows`);
    return r;
  };
  const bulk: BulkRun[] = [];
  for (let run = 1; run <= cfg.bulkRuns; run++) bulk.push(await bulkOnce(run, 1000 + run));
  // The same while ${cfg.connections} clients read the queue (moderators at work): the decision's
  // transaction competes for the CPUs and the connection pool.
  const bulkLoaded: BulkRun[] = [];
  for (let run = 1; run <= cfg.loadedBulkRuns; run++) {
    let bg: BackgroundLoad | undefined;
    bulkLoaded.push(
      await bulkOnce(run, 3000 + run, {
        start: () => {
          bg = backgroundLoad({ origin: server.origin, paths: [paths[0]!], headers, connections: cfg.connections });
        },
        stop: () => bg!.stop(),
      }),
    );
  }

  const stale: StaleRun[] = [];
  for (let run = 1; run <= cfg.staleRuns; run++) {
    const items = await pendingItems(cfg.bulkSize);
    const ids = items.map((i) => i.id);
    // The stale one: changed after the list was loaded (an author's edit bumps the version).
    const staleId = items[Math.floor(((run - 1) / cfg.staleRuns) * items.length + items.length / (2 * cfg.staleRuns))]!.id;
    await sql.query(`UPDATE "Contribution" SET version = version + 1, "updatedAt" = now() WHERE id = $1::uuid`, [staleId]);
    const snapshot = async () =>
      (
        await sql.query<{ s: string }>(
          `SELECT string_agg(id || ':' || status || ':' || version || ':' || coalesce("queuedAt"::text, '-') || ':' || "openFlagCount", ',' ORDER BY id) AS s
           FROM "Contribution" WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows[0]!.s;
    const rowsOf = async () =>
      new Map(
        (await sql.query<{ id: string; k: string }>(`SELECT id, status || ':' || version || ':' || coalesce("queuedAt"::text, '-') AS k FROM "Contribution" WHERE id = ANY($1::uuid[])`, [ids])).rows.map(
          (r) => [r.id, r.k],
        ),
      );
    const before = await rowsOf();
    const snapBefore = await snapshot();
    const logBefore = await logCount();
    log(`bulk PUBLISH with one stale item, run ${run}`);
    const res = await post(items);
    const after = await rowsOf();
    const changedRows = ids.filter((id) => before.get(id) !== after.get(id)).length;
    const logDelta = (await logCount()) - logBefore;
    const current = res.body.error?.current ?? [];
    const r: StaleRun = {
      run,
      items: items.length,
      ms: res.ms,
      status: res.status,
      code: res.body.error?.code ?? "-",
      staleReported: current.length,
      changedRows,
      logDelta,
      ok:
        res.status === 409 &&
        res.body.error?.code === "stale" &&
        current.length === 1 &&
        current[0]!.id === staleId &&
        changedRows === 0 &&
        (await snapshot()) === snapBefore &&
        logDelta === 0,
    };
    if (!r.ok) log(`stale run ${run} failed its checks: ${JSON.stringify({ ...r, body: JSON.stringify(res.body).slice(0, 300) })}`);
    log(`  ${res.status} in ${res.ms.toFixed(0)} ms`);
    stale.push(r);
  }
  const loadDuring = sampler.stop();
  const loadAfter = os.loadavg()[0]!;

  // 7. Where a bulk decision's time goes: decide() in-process, every statement captured.
  let decideProfile: DecideProfile | null = null;
  {
    await topUpPending(db, withSql, cfg.pending, cfg.spreadDays, 2000);
    const items = await pendingItems(cfg.bulkSize);
    const { decide } = await import("@/lib/moderation/decide");
    const t0 = performance.now();
    const { result, queries } = await captureQueries(dbUrl, () =>
      decide(moderator, "PUBLISH", items, null).then(
        (r) => ({ ok: true as const, n: r.length, error: null }),
        (err: unknown) => ({ ok: false as const, n: 0, error: (err as Error).message.trim().split("\n").filter(Boolean).pop() ?? "error" }),
      ),
    );
    const elapsed = performance.now() - t0;
    const kinds = new Map<string, { count: number; ms: number }>();
    for (const q of queries) {
      const s = q.sql.trim();
      const verb = /^\w+/.exec(s)?.[0]?.toUpperCase() ?? "?";
      const table = /(?:FROM|UPDATE|INTO)\s+(?:"public"\.)?"(\w+)"/i.exec(s)?.[1] ?? "";
      const kind = `${verb}${table ? ` ${table}` : ""}${/FOR UPDATE/i.test(s) ? " … FOR UPDATE" : ""}`;
      const k = kinds.get(kind) ?? { count: 0, ms: 0 };
      k.count++;
      k.ms += q.ms;
      kinds.set(kind, k);
    }
    decideProfile = {
      items: items.length,
      ok: result.ok && result.n === items.length,
      error: result.error,
      ms: elapsed,
      statements: queries.length,
      byKind: [...kinds].map(([kind, v]) => ({ kind, ...v })).sort((a, b) => b.count - a.count),
    };
    log(`decide() in-process: ${elapsed.toFixed(0)} ms, ${queries.length} statements${result.error ? ` — failed: ${result.error}` : ""}`);
  }
  await closeDb();

  const cpus = os.cpus();
  const nextVersion = (JSON.parse(readFileSync(path.join(root, "node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  const commandArgs = args.map((a) => (path.isAbsolute(a) ? path.relative(origin, a) : a));
  const envKnobs = Object.keys(process.env)
    .filter((k) => /^BENCH_/.test(k) && !["BENCH_MOD_IN_COPY", "BENCH_MOD_ORIGIN", "BENCH_MOD_COMMIT"].includes(k))
    .sort()
    .map((k) => `${k}=${process.env[k]}`);
  const report: ModerationReport = {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command: [...envKnobs, "npm run bench:moderation", ...(commandArgs.length ? ["--", ...commandArgs] : [])].join(" "),
    experiment: cfg.patch ? path.relative(origin, cfg.patch) : null,
    commit: gitCommit(),
    appDir,
    machine: {
      cpu: cpus[0]?.model.trim() ?? "unknown CPU",
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: cluster.version,
      next: nextVersion,
      load: { before: loadBefore, ...loadDuring, after: loadAfter },
    },
    data: { ...seeded, pendingTarget: cfg.pending, spreadDays: cfg.spreadDays },
    load: loadCfg,
    deepPosition: cfg.deepPosition,
    queue,
    page,
    pageNote,
    bulk,
    bulkLoaded,
    stale,
    decideProfile,
    explain,
    queueIndex: QUEUE_INDEX,
  };
  const markdown = renderMarkdown(report);
  if (cfg.perfMd) writeSection(cfg.perfMd, markdown);
  const resultsDir = path.join(origin, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const tag = cfg.patch ? `-${path.basename(cfg.patch, ".patch")}` : "";
  writeFileSync(path.join(resultsDir, `moderation${tag}-${report.date.replace(/:/g, "-")}.json`), JSON.stringify(report, null, 2));
  console.log(`\n${markdown}`);
  log(`wrote ${cfg.perfMd ? `${path.relative(origin, cfg.perfMd)} and ` : ""}bench/results/ in ${origin}`);
  log(`bulk median ${median(bulk.map((b) => b.ms)).toFixed(0)} ms; stale median ${median(stale.map((s) => s.ms)).toFixed(0)} ms`);
  const v = verdicts(report);
  const loadedFailed = bulkLoaded.filter((b) => !b.ok).length;
  if (loadedFailed) log(`${loadedFailed} of ${bulkLoaded.length} bulk decisions under queue-read load failed (see the report)`);
  if (!v.bulkOk || !v.staleOk || !v.indexOk) {
    log(`checks failed: ${JSON.stringify(v)}`);
    process.exitCode = 1;
  }
}

/** The outer process: copy (and patch) the checkout, run this script inside the copy, clean up. */
async function outer(): Promise<void> {
  const dest = cfg.appDir;
  if (path.relative(root, dest) === "" || !path.relative(root, dest).startsWith("..")) throw new Error(`BENCH_MOD_APP_DIR must be outside the checkout (got ${dest})`);
  if (cfg.patch && !existsSync(cfg.patch)) throw new Error(`No such patch: ${cfg.patch}`);
  const reuse = cfg.reuseCopy && existsSync(path.join(dest, ".next", "BUILD_ID"));
  const commit = gitCommit();
  if (!cfg.keepCopy) onCleanup("remove the copy", () => rmSync(dest, { recursive: true, force: true }));
  if (reuse) {
    log(`reusing the copy in ${dest} and its build (BENCH_MOD_REUSE_COPY=1); refreshing only its bench/`);
    execFileSync("bash", ["-o", "pipefail", "-c", `tar -C ${JSON.stringify(root)} --exclude=./bench/results -cf - ./bench | tar -C ${JSON.stringify(dest)} -xf -`]);
  } else {
    log(`copying the checkout to ${dest}`);
    copyCheckout(dest);
    if (cfg.patch) {
      log(`experiment: applying ${path.relative(root, cfg.patch)} to the copy`);
      execFileSync("git", ["apply", "-p1", cfg.patch], { cwd: dest, stdio: "inherit" });
    }
  }
  // The same node with the same loader flags (tsx's), without tsx's signal-relaying wrapper: a
  // SIGTERM from here reaches the script itself, which then stops its server and cluster.
  const child = spawn(process.execPath, [...process.execArgv, "bench/moderation.mts", ...args], {
    cwd: dest,
    env: { ...process.env, BENCH_MOD_IN_COPY: "1", BENCH_MOD_ORIGIN: root, BENCH_MOD_COMMIT: commit },
    stdio: "inherit",
  });
  // Ctrl-C reaches the child through the terminal; a SIGTERM to this process is passed on.
  onCleanup("stop the run in the copy", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  });
  const exited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const code = await exited;
  if (code !== 0) process.exitCode = code;
}

try {
  if (cfg.inPlace || inCopy) await main();
  else await outer();
} catch (err) {
  console.error(`[bench:moderation] ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
