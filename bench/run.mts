// npm run bench — seeds a real PostgreSQL with 10,000 contributions, runs the production
// server (`next start`) against it and measures the article page, a static copy of the same
// HTML, the home page and the paragraph-list API. Writes the figures into docs/perf.md. See
// docs/perf.md for what is measured and why, and the BENCH_* variables below for the knobs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ensureBuild } from "./lib/build";
import { cleanupStack } from "./lib/cleanup";
import { cpuAvailable, postmasterPid, sampleCpu } from "./lib/cpu";
import { envNumber } from "./lib/env";
import { gitCommit } from "./lib/git";
import { runScenario, type ScenarioFigures } from "./lib/measure";
import { databaseUrl, dropDatabase, recreateDatabase, serverVersion, startCluster } from "./lib/postgres";
import { renderMarkdown, verdicts, writeSection, type Report } from "./lib/report";
import { startNext, type Server } from "./lib/server";

const root = process.cwd();

const cfg = {
  /** An existing server to use instead of a throwaway cluster (needs CREATEDB). */
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  dbName: process.env.BENCH_DB_NAME || "annotated_bench",
  pgPort: envNumber("BENCH_PG_PORT", 56432),
  port: envNumber("BENCH_PORT", 3300),
  contributions: envNumber("BENCH_CONTRIBUTIONS", 10_000),
  authors: envNumber("BENCH_AUTHORS", 250),
  connections: envNumber("BENCH_CONNECTIONS", 20),
  duration: envNumber("BENCH_DURATION", 10),
  sequentialRequests: envNumber("BENCH_SEQUENTIAL", 200),
  warmupSeconds: envNumber("BENCH_WARMUP", 3),
  /** "1" always builds, "0" never; unset builds when .next is missing or older than the sources. */
  build: process.env.BENCH_BUILD,
  perfMd: path.resolve(root, process.env.BENCH_PERF_MD || "docs/perf.md"),
  slug: process.env.BENCH_SLUG || undefined,
};

// ---- cleanup, run in reverse order on success, error and Ctrl-C ----------------------------
const { onCleanup, cleanup } = cleanupStack("bench");

const log = (msg: string) => console.log(`[bench] ${msg}`);

// ---- helpers -----------------------------------------------------------------------------
async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}\n${body.slice(0, 500)}`);
  return body;
}

// ---- main ---------------------------------------------------------------------------------
async function main(): Promise<void> {
  const slug =
    cfg.slug ??
    readdirSync(path.join(root, "content", "articles"))
      .filter((f) => f.endsWith(".md"))
      .sort()[0]
      ?.replace(/\.md$/, "");
  if (!slug) throw new Error("No article in content/articles");

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
  await recreateDatabase(adminUrl, cfg.dbName);
  if (cfg.databaseUrl && process.env.BENCH_KEEP_DB !== "1") onCleanup("drop database", () => dropDatabase(adminUrl, cfg.dbName));
  const dbUrl = databaseUrl(adminUrl, cfg.dbName);

  // 2. Migrate and load content with the app's own code, then bulk-insert the discussion.
  process.env.DATABASE_URL = dbUrl;
  const { closeDb } = await import("@/lib/db/client");
  const { prepareDatabase } = await import("@/lib/startup");
  const { seedContributions } = await import("./lib/seed");
  const db = await prepareDatabase();
  log(`seeding ${cfg.contributions} contributions on ${slug}`);
  const seeded = await seedContributions(db, { slug, contributions: cfg.contributions, authors: cfg.authors });
  await closeDb();
  log(`seeded in ${seeded.seconds.toFixed(1)} s (${seeded.published} published)`);

  // 3. A production build (in this directory), unless an up-to-date one exists.
  const secret = randomBytes(24).toString("hex");
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: dbUrl,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: `http://127.0.0.1:${cfg.port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  ensureBuild(root, cfg.build, serverEnv, log);

  // 4. The static reference: a public/ file must exist when `next start` starts (it lists
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

  // 5. next start.
  log(`next start on 127.0.0.1:${cfg.port}`);
  const server: Server = await startNext({ cwd: root, port: cfg.port, env: serverEnv, readyPath: "/" });
  onCleanup("stop next start", () => server.stop());

  const pagePath = `/articles/${slug}`;
  const html = await fetchText(server.origin + pagePath);
  writeFileSync(staticFile, html);
  const staticHtml = await fetchText(`${server.origin}/${staticName}`);
  if (staticHtml !== html) throw new Error("The static copy is not served byte for byte");
  const anchors = seeded.paragraphs.map((p) => p.anchorId);
  const missing = anchors.filter((a) => !html.includes(a));
  if (missing.length) log(`warning: ${missing.length} paragraph anchors do not appear in the page HTML`);

  const listPaths = anchors.map((a) => `/api/articles/${slug}/paragraphs/${a}/contributions`);
  const firstPage = JSON.parse(await fetchText(server.origin + listPaths[0]!)) as { items: unknown[] };
  if (!Array.isArray(firstPage.items)) throw new Error("The paragraph list did not answer with items");

  const loadCfg = {
    connections: cfg.connections,
    duration: cfg.duration,
    sequentialRequests: cfg.sequentialRequests,
    warmupSeconds: cfg.warmupSeconds,
  };
  // CPU per request: the server's process group, and the throwaway cluster's processes.
  const cpuSources = { serverPgid: server.pid, postmasterPid: pgDataDir ? postmasterPid(pgDataDir) : null };
  const cpu = cpuAvailable() ? () => sampleCpu(cpuSources) : undefined;
  const measure = async (name: string, paths: string[]): Promise<ScenarioFigures> => {
    log(`measuring ${name}`);
    return runScenario(server.origin, { name, paths }, loadCfg, cpu);
  };
  const loadBefore = os.loadavg()[0]!;
  if (loadBefore > os.cpus().length / 2) {
    log(`warning: the 1-minute load average is ${loadBefore.toFixed(2)} on ${os.cpus().length} CPUs — other work will skew the figures`);
  }
  const staticRef = await measure("static copy", [`/${staticName}`]);
  const home = await measure("home page", ["/"]);
  const page = await measure("article page", [pagePath]);
  const list = await measure("paragraph list", listPaths);
  const loadAfter = os.loadavg()[0]!;

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
      loadBefore,
      loadAfter,
    },
    data: {
      slug,
      contributions: cfg.contributions,
      published: seeded.published,
      paragraphs: anchors.length,
      authors: seeded.authors,
      hottest: Math.max(...seeded.paragraphs.map((p) => p.count)),
      seedSeconds: seeded.seconds,
    },
    load: loadCfg,
    html: { bytes: Buffer.byteLength(html), gzipBytes: gzipSync(html).length, staticBytes: Buffer.byteLength(staticHtml) },
    scenarios: { page, staticRef, home, list },
    urls: {
      page: pagePath,
      home: "/",
      staticRef: `/${staticName}`,
      list: `/api/articles/${slug}/paragraphs/<each of the ${anchors.length} anchors in turn>/contributions`,
    },
  };
  const markdown = renderMarkdown(report);
  writeSection(cfg.perfMd, markdown);
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${report.date.replace(/:/g, "-")}.json`), JSON.stringify(report, null, 2));
  console.log(`\n${markdown}`);
  log(`wrote ${path.relative(root, cfg.perfMd)} and bench/results/`);
  const v = verdicts(report);
  if (v.loadedRatio > 2 || v.sequentialRatio > 2 || !v.htmlOk) log("at least one target was missed (see above)");
}

try {
  await main();
} catch (err) {
  console.error(`[bench] ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
