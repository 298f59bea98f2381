// npm run bench — for each size in BENCH_CONTRIBUTIONS (10,000 and 1,000,000), seeds a real
// PostgreSQL with a discussion of that many contributions (replies, ratings and scores, orphans
// of an earlier version), runs the production server (`scripts/server.mjs`, what `npm start` runs) against it and measures the
// article page beside its floors (a static copy of the same HTML, the home page) and every read
// path of the discussion API; then two instances on the one database. Writes the figures into
// docs/perf.md. See docs/perf.md for what is measured and why, and the BENCH_* variables below.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { encode } from "next-auth/jwt";
import { ensureBuild } from "./lib/build";
import { cleanupStack } from "./lib/cleanup";
import { cpuAvailable, postmasterPid, sampleCpu } from "./lib/cpu";
import { envNumber } from "./lib/env";
import { gitCommit } from "./lib/git";
import { runScenario, startLoad, type Figures, type ScenarioFigures } from "./lib/measure";
import { databaseUrl, dropDatabase, recreateDatabase, serverVersion, startCluster } from "./lib/postgres";
import { renderMarkdown, verdicts, writeSection, type Report, type SizeReport, type ScenarioKey, type TwoInstances } from "./lib/report";
import type { SeedResult } from "./lib/seed";
import { startServer, type Server } from "./lib/server";

const root = process.cwd();

function sizesFromEnv(): number[] {
  const raw = process.env.BENCH_CONTRIBUTIONS || "10000,1000000";
  const sizes = raw.split(",").map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`BENCH_CONTRIBUTIONS must be positive integers separated by commas (got ${raw})`);
  return sizes;
}

const cfg = {
  /** An existing server to use instead of a throwaway cluster (needs CREATEDB). */
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  dbName: process.env.BENCH_DB_NAME || "annotated_bench",
  pgPort: envNumber("BENCH_PG_PORT", 56432),
  port: envNumber("BENCH_PORT", 3300),
  sizes: sizesFromEnv(),
  authors: envNumber("BENCH_AUTHORS", 250),
  replyShare: envNumber("BENCH_REPLY_SHARE", 0.3),
  orphanShare: envNumber("BENCH_ORPHAN_SHARE", 0.02),
  connections: envNumber("BENCH_CONNECTIONS", 20),
  duration: envNumber("BENCH_DURATION", 10),
  sequentialRequests: envNumber("BENCH_SEQUENTIAL", 200),
  warmupSeconds: envNumber("BENCH_WARMUP", 3),
  /** "0" skips the two-instance runs. */
  twoInstances: process.env.BENCH_TWO_INSTANCES !== "0",
  /** "1" always builds, "0" never; unset builds when .next is missing or older than the sources. */
  build: process.env.BENCH_BUILD,
  perfMd: path.resolve(root, process.env.BENCH_PERF_MD || "docs/perf.md"),
  slug: process.env.BENCH_SLUG || undefined,
};

// ---- cleanup, run in reverse order on success, error and Ctrl-C ----------------------------
const { onCleanup, cleanup } = cleanupStack("bench");

const log = (msg: string) => console.log(`[bench] ${msg}`);

// ---- helpers -----------------------------------------------------------------------------
async function fetchText(url: string, headers?: Record<string, string>): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000), ...(headers ? { headers } : {}) });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}\n${body.slice(0, 500)}`);
  return body;
}

/** Migrates, loads (and revises) the article and seeds `n` contributions, in a process of its own. */
function seed(dbUrl: string, contentDir: string, slug: string, n: number): { seeded: SeedResult; revised: boolean } {
  const out = path.join(contentDir, "..", `seed-${n}.json`);
  const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "bench", "lib", "seed-db.mts")], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      CONTENT_DIR: contentDir,
      BENCH_SEED_SLUG: slug,
      BENCH_SEED_CONTRIBUTIONS: String(n),
      BENCH_SEED_AUTHORS: String(cfg.authors),
      BENCH_SEED_REPLY_SHARE: String(cfg.replyShare),
      BENCH_SEED_ORPHAN_SHARE: String(cfg.orphanShare),
      BENCH_SEED_RATINGS: "1",
      BENCH_SEED_REVISE: "1",
      BENCH_SEED_OUT: out,
    },
  });
  if (r.status !== 0) throw new Error(`seeding ${n} contributions failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(readFileSync(out, "utf8")) as { seeded: SeedResult; revised: boolean };
}

// ---- main ---------------------------------------------------------------------------------
async function main(): Promise<void> {
  const sourceDir = process.env.CONTENT_DIR ? path.resolve(root, process.env.CONTENT_DIR) : path.join(root, "content", "articles");
  const slug =
    cfg.slug ??
    readdirSync(sourceDir)
      .filter((f) => f.endsWith(".md"))
      .sort()[0]
      ?.replace(/\.md$/, "");
  if (!slug) throw new Error(`No article in ${sourceDir}`);

  // 1. PostgreSQL: a throwaway cluster, or a fresh database on BENCH_DATABASE_URL's server.
  let adminUrl: string;
  let pgVersion: string;
  let pgDataDir: string | null = null;
  if (cfg.databaseUrl) {
    adminUrl = cfg.databaseUrl;
    pgVersion = await serverVersion(adminUrl);
    log(`using the PostgreSQL ${pgVersion} server of BENCH_DATABASE_URL`);
  } else {
    log(`starting a throwaway PostgreSQL cluster on 127.0.0.1:${cfg.pgPort}`);
    const cluster = await startCluster(cfg.pgPort);
    onCleanup("stop PostgreSQL", () => cluster.stop());
    adminUrl = `${cluster.serverUrl}/postgres`;
    pgVersion = cluster.version;
    pgDataDir = cluster.dataDir;
  }
  if (cfg.databaseUrl && process.env.BENCH_KEEP_DB !== "1") onCleanup("drop database", () => dropDatabase(adminUrl, cfg.dbName));
  const dbUrl = databaseUrl(adminUrl, cfg.dbName);

  // 2. The articles the server loads: a copy of content/, whose bench article the seed revises
  //    (so the server finds the file as the database has it and publishes nothing).
  const work = mkdtempSync(path.join(os.tmpdir(), "annotated-bench-"));
  onCleanup("remove the content copy", () => rmSync(work, { recursive: true, force: true }));
  const contentDir = path.join(work, "articles");
  const resetContent = () => {
    rmSync(contentDir, { recursive: true, force: true });
    mkdirSync(contentDir);
    for (const f of readdirSync(sourceDir).filter((f) => f.endsWith(".md"))) copyFileSync(path.join(sourceDir, f), path.join(contentDir, f));
  };
  resetContent();

  // 3. A production build (in this directory), unless an up-to-date one exists.
  const secret = randomBytes(24).toString("hex");
  const serverEnv = (port: number): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: dbUrl,
    CONTENT_DIR: contentDir,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    // Where the instance asks itself to drop cached pages (lib/cache/self-request.ts).
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
  });
  ensureBuild(root, cfg.build, serverEnv(cfg.port), log);

  // 4. The static reference: a public/ file must exist when the server starts (it lists
  //    public/ once); its content is replaced with the rendered article once the server runs.
  const publicDir = path.join(root, "public");
  const staticName = "bench-static.html";
  const staticFile = path.join(publicDir, staticName);
  if (existsSync(staticFile)) throw new Error(`${staticFile} already exists; remove it first`);
  const createdPublic = !existsSync(publicDir);
  mkdirSync(publicDir, { recursive: true });
  writeFileSync(staticFile, "placeholder");
  onCleanup("remove the static copy", () => {
    rmSync(staticFile, { force: true });
    if (createdPublic) rmdirSync(publicDir);
  });

  const loadCfg = {
    connections: cfg.connections,
    duration: cfg.duration,
    sequentialRequests: cfg.sequentialRequests,
    warmupSeconds: cfg.warmupSeconds,
  };
  const postmaster = () => (pgDataDir ? postmasterPid(pgDataDir) : null);
  const sizes: SizeReport[] = [];
  let html = "";
  let staticHtml = "";
  let revise = false;

  for (const n of cfg.sizes) {
    // 5. A fresh database with this many contributions.
    await recreateDatabase(adminUrl, cfg.dbName);
    resetContent();
    log(`seeding ${n.toLocaleString("en-US")} contributions on ${slug}`);
    const { seeded, revised } = seed(dbUrl, contentDir, slug, n);
    revise = revised;
    log(`seeded in ${seeded.seconds.toFixed(1)} s (${seeded.published} published, ${seeded.replies} replies, ${seeded.ratings} ratings, ${seeded.orphans} orphans)`);

    // 6. The production server.
    log(`scripts/server.mjs on 127.0.0.1:${cfg.port}`);
    const server: Server = await startServer({ cwd: root, port: cfg.port, env: serverEnv(cfg.port), readyPath: "/" });
    onCleanup("stop the server", () => server.stop());

    const pagePath = `/articles/${slug}`;
    // The page the build prerendered shows the article before this size's revision and seed: the
    // instance drops it once it serves (lib/cache/self-request.ts); wait until it shows every paragraph.
    const anchors = seeded.paragraphs.map((p) => p.anchorId);
    let missing: string[] = anchors;
    for (const until = Date.now() + 20_000; ; ) {
      html = await fetchText(server.origin + pagePath);
      missing = anchors.filter((a) => !html.includes(`id="${a}"`));
      if (!missing.length) break;
      if (Date.now() > until) throw new Error(`${missing.length} paragraph anchors do not appear in the page HTML after 20 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    writeFileSync(staticFile, html);
    staticHtml = await fetchText(`${server.origin}/${staticName}`);
    if (staticHtml !== html) throw new Error("The static copy is not served byte for byte");

    // A signed-in reader: the author who rated the most (their own ratings and the distributions show).
    if (!seeded.busiestRater) throw new Error("The seed has no ratings");
    const token = await encode({ token: { uid: seeded.busiestRater, authAt: Date.now() }, secret });
    const signedIn = { cookie: `next-auth.session-token=${token}` };
    const who = JSON.parse(await fetchText(`${server.origin}/api/auth/session`, signedIn)) as { user?: { id?: string } };
    if (!who.user) throw new Error("The bench's session cookie is not accepted");

    const list = (a: string, q = "") => `/api/articles/${slug}/paragraphs/${a}/contributions${q}`;
    const scenarios: Record<ScenarioKey, { paths: string[]; headers?: Record<string, string>; url: string }> = {
      staticRef: { paths: [`/${staticName}`], url: `/${staticName}` },
      home: { paths: ["/"], url: "/" },
      page: { paths: [pagePath], url: pagePath },
      list: { paths: anchors.map((a) => list(a)), url: list("<each anchor>") },
      listNewest: { paths: anchors.map((a) => list(a, "?sort=newest")), url: list("<each anchor>", "?sort=newest") },
      listSignedIn: { paths: anchors.map((a) => list(a)), headers: signedIn, url: `${list("<each anchor>")} with a session cookie` },
      replies: {
        paths: seeded.busiestThreads.map((t) => `/api/contributions/${t.id}/replies`),
        url: `/api/contributions/<each of the ${seeded.busiestThreads.length} busiest threads>/replies`,
      },
      thread: {
        paths: seeded.deepestReplies.map((r) => `/api/contributions/${r.id}`),
        url: `/api/contributions/<each of ${seeded.deepestReplies.length} replies at depth ≥ 3>`,
      },
      orphans: { paths: [`/api/articles/${slug}/orphans`], url: `/api/articles/${slug}/orphans` },
    };
    for (const [key, s] of Object.entries(scenarios)) {
      if (s.paths.length === 0) throw new Error(`${key}: the seed gave no paths`);
      const body = await fetchText(server.origin + s.paths[0]!, s.headers);
      if (key !== "staticRef" && key !== "home" && key !== "page" && !body.startsWith("{")) throw new Error(`${key}: not JSON`);
    }

    // CPU per request: the server's process group, and the throwaway cluster's processes.
    const cpu = cpuAvailable() ? () => sampleCpu({ serverPgid: server.pid, postmasterPid: postmaster() }) : undefined;
    const loadBefore = os.loadavg()[0]!;
    if (loadBefore > os.cpus().length / 2) {
      log(`warning: the 1-minute load average is ${loadBefore.toFixed(2)} on ${os.cpus().length} CPUs — other work will skew the figures`);
    }
    const figures = {} as Record<ScenarioKey, ScenarioFigures>;
    for (const [key, s] of Object.entries(scenarios) as [ScenarioKey, (typeof scenarios)[ScenarioKey]][]) {
      log(`${n}: measuring ${key}`);
      figures[key] = await runScenario(server.origin, { name: key, paths: s.paths, ...(s.headers ? { headers: s.headers } : {}) }, loadCfg, cpu);
    }

    // 7. Two instances on the one database, each under half the clients.
    let two: TwoInstances | null = null;
    if (cfg.twoInstances) {
      const port2 = cfg.port + 1;
      log(`${n}: a second server on 127.0.0.1:${port2}`);
      const server2 = await startServer({ cwd: root, port: port2, env: serverEnv(port2), readyPath: "/" });
      onCleanup("stop the second server", () => server2.stop());
      const both = cpuAvailable()
        ? () => {
            const a = sampleCpu({ serverPgid: server.pid, postmasterPid: postmaster() });
            const b = sampleCpu({ serverPgid: server2.pid, postmasterPid: null });
            return { server: a.server + b.server, postgres: a.postgres };
          }
        : undefined;
      two = { page: await twoInstanceRun([server, server2], [pagePath], both), list: await twoInstanceRun([server, server2], scenarios.list.paths, both) };
      await server2.stop();
    }
    const loadAfter = os.loadavg()[0]!;
    await server.stop();

    sizes.push({
      data: {
        contributions: n,
        published: seeded.published,
        paragraphs: anchors.length,
        authors: seeded.authors,
        hottest: Math.max(...seeded.paragraphs.map((p) => p.count)),
        replies: seeded.replies,
        busiestThread: seeded.busiestThreads[0]?.replies ?? 0,
        ratings: seeded.ratings,
        scored: seeded.scored,
        orphans: seeded.orphans,
        seedSeconds: seeded.seconds,
      },
      loadBefore,
      loadAfter,
      html: { bytes: Buffer.byteLength(html), gzipBytes: gzipSync(html).length },
      scenarios: figures,
      urls: Object.fromEntries(Object.entries(scenarios).map(([k, s]) => [k, s.url])) as Record<ScenarioKey, string>,
      twoInstances: two,
    });
  }

  async function twoInstanceRun(servers: Server[], paths: string[], cpu?: () => { server: number; postgres: number | null }) {
    const half = Math.max(1, Math.floor(cfg.connections / servers.length));
    const run = async (seconds: number) => {
      const loads = servers.map((s) => startLoad({ origin: s.origin, paths, connections: half, duration: seconds }));
      return Promise.all(loads.map((l) => l.done));
    };
    await run(cfg.warmupSeconds);
    const before = cpu?.();
    const figures: Figures[] = await run(cfg.duration);
    const after = cpu?.();
    if (figures.some((f) => f.non2xx > 0 || f.errors > 0)) throw new Error("two instances: non-2xx responses or errors");
    const requests = figures.reduce((a, f) => a + f.requests, 0);
    return {
      rps: figures.reduce((a, f) => a + f.rps, 0),
      p95: Math.max(...figures.map((f) => f.p95)),
      cpuServer: before && after ? (after.server - before.server) / requests : null,
    };
  }

  const cpus = os.cpus();
  const nextVersion = (JSON.parse(readFileSync(path.join(root, "node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  const report: Report = {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command: "npm run bench",
    commit: gitCommit(root),
    machine: {
      cpu: cpus[0]?.model.trim() ?? "unknown CPU",
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: pgVersion,
      next: nextVersion,
    },
    slug,
    revised: revise,
    load: loadCfg,
    sizes,
  };
  const markdown = renderMarkdown(report);
  writeSection(cfg.perfMd, markdown);
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${report.date.replace(/:/g, "-")}.json`), JSON.stringify(report, null, 2));
  console.log(`\n${markdown}`);
  log(`wrote ${path.relative(root, cfg.perfMd)} and bench/results/`);
  if (verdicts(report).some((v) => !v.ok)) log("at least one target was missed (see above)");
}

try {
  await main();
} catch (err) {
  console.error(`[bench] ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
