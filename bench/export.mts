// npm run bench:export — the research export at scale: BENCH_EXPORT_ROWS (1,000,000) contributions on a
// throwaway PostgreSQL, exported as CSV and as JSONL through the real job path (createExport + runExport,
// exactly what `npm run export` runs), each in a fresh child process, against the reference: PostgreSQL's
// own `COPY (SELECT …) TO STDOUT (FORMAT csv)` of the same rows and columns, in the same run. Reports rows/s,
// peak RSS, phase times and bundle size into docs/perf.md ("Research export at scale").
//
// Knobs: BENCH_EXPORT_ROWS (1000000), BENCH_EXPORT_AUTHORS (3000), BENCH_EXPORT_REPEAT (1: measurements per
// contender, the median is reported and all are listed), BENCH_EXPORT_PG_PORT (56434), BENCH_PG_BIN,
// BENCH_PERF_MD (docs/perf.md; "-" writes none), BENCH_EXPORT_CPU_PROF=<dir> (the export children run with
// `node --cpu-prof` into <dir>), BENCH_EXPORT_COMPARE_WITH=<another checkout> (also exports with that
// checkout's code against the same database and compares the table files' sha256 byte for byte).
//
// Internally the script runs itself as the child: `bench/export.mts --child <csv|jsonl>`. Development:
// `npm run bench:export -- --hold` seeds, prints DATABASE_URL and keeps the cluster until Ctrl-C.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { cleanupStack } from "./lib/cleanup";
import { envNumber } from "./lib/env";
import { gitCommit } from "./lib/git";
import { picker } from "./lib/random";
import { WORDS } from "./lib/words";
import { writeMarkedSection } from "./lib/report";

const root = process.cwd();
const args = process.argv.slice(2);

const STUDY = "bench-export";
const RESULT_TAG = "BENCH_EXPORT_RESULT ";

// ================================================================================================
// The child: one export through the real job path, in a fresh process; prints its figures as JSON.
// ================================================================================================

interface ChildResult {
  format: string;
  jobId: string;
  status: string;
  error: string | null;
  /** Milliseconds from the job's creation: when each file of the bundle was closed (hashed). */
  closed: { file: string; ms: number }[];
  /** From createExport to the end of runExport (tables, documents, zip, job bookkeeping). */
  jobMs: number;
  /** When the zip was fully written, and when zipping started (the last file closed). */
  zipStartMs: number | null;
  zipEndMs: number | null;
  /** [ms since job start, RSS MB, V8 heap used MB, external MB], every 250 ms. */
  memory: [number, number, number, number][];
  /** From the child's first line to the end: loading the code, connecting, the job, closing. */
  processMs: number;
  files: { path: string; rows: number | null; bytes: number; sha256: string }[];
  bundleBytes: number;
  counts: Record<string, number>;
  maxRssKB: number;
  vmHwmKB: number | null;
  cpuUserMs: number;
  cpuSystemMs: number;
}

async function child(format: "csv" | "jsonl"): Promise<void> {
  const t0 = performance.now();
  const filters = JSON.parse(process.env.BENCH_EXPORT_FILTERS ?? "{}") as Record<string, unknown>;
  // Instrumentation only (no behaviour change): note when each file of the bundle is closed and when
  // the zip stream ends, by wrapping two methods of the very modules the export code imports.
  const { FileSink } = await import("@/lib/research/sink");
  const closed: { file: string; at: number }[] = [];
  const origClose = FileSink.prototype.close;
  FileSink.prototype.close = async function (this: InstanceType<typeof FileSink>) {
    const r = await origClose.call(this);
    closed.push({ file: path.basename(this.path), at: performance.now() });
    return r;
  };
  let zipEnd: number | null = null;
  const yazl = createRequire(path.join(root, "package.json"))("yazl") as { ZipFile: { prototype: { end: (...a: unknown[]) => unknown } } };
  const origEnd = yazl.ZipFile.prototype.end;
  yazl.ZipFile.prototype.end = function (this: { outputStream: NodeJS.ReadableStream }, ...a: unknown[]) {
    this.outputStream.once("end", () => (zipEnd = performance.now()));
    return origEnd.apply(this, a);
  };

  const { closeDb, withSql } = await import("@/lib/db/client");
  const { operatorExport } = await import("@/lib/research/cli-export");
  try {
    // What scripts/export.mts does (lib/research/cli-export.ts, no Prisma client), minus the copy of the zip to --out.
    const tJob = performance.now();
    const memory: ChildResult["memory"] = [];
    const sampleMemory = () => {
      const m = process.memoryUsage();
      memory.push([Math.round(performance.now() - tJob), Math.round(m.rss / 2 ** 20), Math.round(m.heapUsed / 2 ** 20), Math.round(m.external / 2 ** 20)]);
    };
    sampleMemory();
    const sampler = setInterval(sampleMemory, 250);
    const done = await operatorExport(STUDY, format, filters);
    const job = { id: done.id };
    const jobMs = performance.now() - tJob;
    clearInterval(sampler);
    sampleMemory();
    const [row] = await withSql((conn) => conn.query<{ manifest: unknown; byteSize: string | null }>(`SELECT manifest, "byteSize"::text AS "byteSize" FROM "ExportJob" WHERE id = $1::uuid`, [job.id]));
    if (!row) throw new Error(`no job ${job.id}`);
    const manifest = row.manifest as { files: ChildResult["files"]; counts: Record<string, number> } | null;
    await closeDb();
    const usage = process.resourceUsage();
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    const rel = (t: number | null) => (t === null ? null : t - tJob);
    const out: ChildResult = {
      format,
      jobId: job.id,
      status: done.status,
      error: done.error,
      closed: closed.map((c) => ({ file: c.file, ms: c.at - tJob })),
      jobMs,
      zipStartMs: closed.length ? closed[closed.length - 1]!.at - tJob : null,
      zipEndMs: rel(zipEnd),
      memory,
      processMs: performance.now() - t0,
      files: manifest?.files ?? [],
      bundleBytes: Number(row.byteSize ?? 0),
      counts: manifest?.counts ?? {},
      maxRssKB: usage.maxRSS,
      vmHwmKB: hwm ? Number(hwm[1]) : null,
      cpuUserMs: usage.userCPUTime / 1000,
      cpuSystemMs: usage.systemCPUTime / 1000,
    };
    process.stdout.write(`${RESULT_TAG}${JSON.stringify(out)}\n`);
  } finally {
    await closeDb();
  }
}

// ================================================================================================
// The parent: cluster, seed, measure, report.
// ================================================================================================

const cfg = {
  rows: envNumber("BENCH_EXPORT_ROWS", 1_000_000),
  authors: envNumber("BENCH_EXPORT_AUTHORS", 3_000),
  repeat: envNumber("BENCH_EXPORT_REPEAT", 1),
  pgPort: envNumber("BENCH_EXPORT_PG_PORT", 56434),
  dbName: "annotated_bench_export",
  perfMd: process.env.BENCH_PERF_MD === "-" ? null : path.resolve(root, process.env.BENCH_PERF_MD || "docs/perf.md"),
  cpuProf: process.env.BENCH_EXPORT_CPU_PROF ? path.resolve(root, process.env.BENCH_EXPORT_CPU_PROF) : null,
  compareWith: process.env.BENCH_EXPORT_COMPARE_WITH ? path.resolve(root, process.env.BENCH_EXPORT_COMPARE_WITH) : null,
};
/** The targets of issue 4 ("Scale"). */
const TARGET_RSS_MB = 160;
const TARGET_RATIO = 0.8;

// Signals are handled in the parent only (below); the --child processes have nothing to clean.
const { onCleanup, cleanup } = cleanupStack("bench:export", { onSignals: false });
const log = (msg: string) => console.log(`[bench:export] ${msg}`);

// ---- seed ---------------------------------------------------------------------------------------

const FOREIGN = ["Кремль", "эмиграция", "naïve", "Zürich", "São Paulo", "Œuvre", "Ärger", "İstanbul", "Łódź", "日本語", "עברית", "…", "—", "€42", "🙂", "👍🏽"];
const LEADS = ["= this is not a formula", "-1 for this claim:", "+1, agreed", "@moderator please check", "=HYPERLINK(\"x\")"];

/** ~`fragments` pieces of text, 50–170 characters, with commas, quotes, newlines and non-ASCII. */
function fragments(n: number, rand: () => number): string[] {
  const pick = picker(rand);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const target = 50 + Math.floor(rand() * 120);
    let s = rand() < 0.04 ? `${pick(LEADS)} ` : "";
    while (s.length < target) {
      const r = rand();
      let w = r < 0.06 ? pick(FOREIGN) : pick(WORDS);
      if (r > 0.97) w = `"${w}"`;
      else if (r > 0.95) w = `'${w}'`;
      s += w;
      const p = rand();
      s += p < 0.1 ? ", " : p < 0.13 ? ". " : p < 0.14 ? ";\n" : " ";
    }
    out.push(s.trim());
  }
  return out;
}

interface Seeded {
  slug: string;
  articleId: string;
  paragraphs: number;
  selectors: number;
  authors: number;
  optedOutAuthors: number;
  contributions: number;
  flags: number;
  moderationLog: number;
  seconds: number;
  tableBytes: number;
}

async function seed(
  withSql: <T>(fn: (c: import("@/lib/db/sql").SqlConnection) => Promise<T>) => Promise<T>,
): Promise<Seeded> {
  const t0 = performance.now();
  const { mulberry32 } = await import("./lib/random");
  const { selectorFor } = await import("@/lib/annotations/selector");
  const rand = mulberry32(20261127);
  return withSql(async (c) => {
    const [article] = await c.query<{ id: string; slug: string; version_id: string }>(
      `SELECT a.id, a.slug, v.id AS version_id FROM "Article" a
         JOIN LATERAL (SELECT id FROM "ArticleVersion" WHERE "articleId" = a.id ORDER BY number DESC LIMIT 1) v ON true
        ORDER BY a.slug LIMIT 1`,
    );
    if (!article) throw new Error("No article: content/ was not loaded");
    const paragraphs = await c.query<{ id: string; anchor: string; text: string }>(
      `SELECT id, "anchorId" AS anchor, text FROM "Paragraph" WHERE "versionId" = $1::uuid ORDER BY position`,
      [article.version_id],
    );

    // Selectors, weighted towards a few hot paragraphs (Zipf-like over a shuffled order): per paragraph
    // the whole paragraph, prefixes of 3–25 words, and spans of 3–25 words starting at a word.
    const order = paragraphs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const sel: { p: number; start: number; end: number; whole: boolean }[] = [];
    order.forEach((pi, rank) => {
      const text = paragraphs[pi]!.text;
      const starts = [0, ...[...text.matchAll(/\s+/g)].map((m) => m.index! + m[0].length).filter((i) => i < text.length)];
      const ends = [...[...text.matchAll(/\S(?=\s|$)/g)].map((m) => m.index! + 1)];
      const count = Math.max(4, Math.round(400 / (rank + 1)));
      for (let k = 0; k < count; k++) {
        const r = rand();
        if (r < 0.15 || starts.length < 4) sel.push({ p: pi, start: 0, end: text.length, whole: true });
        else {
          const from = r < 0.45 ? 0 : Math.floor(rand() * (starts.length - 3));
          const len = 3 + Math.floor(rand() * 23);
          const s = starts[from]!;
          const e = ends[Math.min(from + len - 1, ends.length - 1)]!;
          if (e <= s) throw new Error(`bad span ${s}-${e} in paragraph ${pi}`);
          sel.push({ p: pi, start: s, end: e, whole: false });
        }
      }
    });
    const rows = sel.map((s) => ({ ...s, ...selectorFor(paragraphs[s.p]!.text, s.start, s.end) }));
    await c.exec(`DROP TABLE IF EXISTS bench_sel, bench_frag`);
    await c.exec(`CREATE UNLOGGED TABLE bench_sel (n int PRIMARY KEY, paragraph uuid, anchor text, exact text, prefix text, suffix text, s int, e int, whole boolean)`);
    await c.query(
      `INSERT INTO bench_sel SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::boolean[])`,
      [
        rows.map((_, i) => i),
        rows.map((r) => paragraphs[r.p]!.id),
        rows.map((r) => paragraphs[r.p]!.anchor),
        rows.map((r) => r.exact),
        rows.map((r) => r.prefix),
        rows.map((r) => r.suffix),
        rows.map((r) => r.start),
        rows.map((r) => r.end),
        rows.map((r) => r.whole),
      ],
    );
    const frags = fragments(997, rand);
    await c.exec(`CREATE UNLOGGED TABLE bench_frag (n int PRIMARY KEY, t text)`);
    await c.query(`INSERT INTO bench_frag SELECT * FROM unnest($1::int[], $2::text[])`, [frags.map((_, i) => i), frags]);

    // Authors: 2 % opted out of research exports (their contributions are left out and counted).
    await c.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", "researchOptOut", "createdAt", "updatedAt")
       SELECT md5('bench-export-user-' || i)::uuid, 'bench-export-' || i || '@bench.invalid', 'Bench reader ' || i,
              '!bench-cannot-sign-in', i % 50 = 0, now() - interval '800 days' + i * interval '1 minute', now()
         FROM generate_series(0, $1::int - 1) i`,
      [cfg.authors],
    );

    // Contributions, set-based, in chunks (progress). Ids are deterministic (md5 of the row number), so
    // replies can point at earlier rows. Foreign keys are not checked while seeding
    // (session_replication_role = replica): every id comes from the tables themselves.
    await c.exec(`SELECT setseed(0.20261127); SET session_replication_role = replica; SET synchronous_commit = off`);
    const nSel = rows.length;
    const nFrag = frags.length;
    const chunk = 100_000;
    for (let lo = 0; lo < cfg.rows; lo += chunk) {
      const hi = Math.min(cfg.rows, lo + chunk) - 1;
      await c.query(
        `INSERT INTO "Contribution" (id, kind, status, body, "sourceUrl", "sourceTitle", stance, "articleId", "articleVersionId",
                                     "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset",
                                     "wholeParagraph", "parentId", "authorId", version, "createdAt", "updatedAt", "deletedAt", "editedAt",
                                     "queuedAt", "moderationReason")
         SELECT md5('bench-export-c-' || x.g)::uuid,
                x.kind::"ContributionKind",
                x.status::"ContributionStatus",
                CASE WHEN x.kind = 'SOURCE' AND x.r5 < 0.2 THEN '' ELSE
                  f1.t || CASE WHEN x.r3 < 0.25 THEN E'\\n\\n' WHEN x.r3 < 0.3 THEN E'\\r\\n' ELSE ' ' END || f2.t
                  || CASE WHEN x.r4 < 0.35 THEN ', ' || f3.t ELSE '' END END,
                CASE WHEN x.kind = 'SOURCE' THEN 'https://example.org/reports/' || x.g || '?lang=ru&ref=bench' END,
                CASE WHEN x.kind = 'SOURCE' AND x.r5 < 0.7 THEN left(f3.t, 60) END,
                CASE WHEN x.kind = 'SOURCE' THEN (ARRAY['SUPPORTS','REFUTES','CONTEXT'])[1 + (x.g % 3)]::"SourceStance" END,
                $3::uuid, $4::uuid,
                s.paragraph, s.anchor, s.exact, s.prefix, s.suffix, s.s, s.e, s.whole,
                CASE WHEN x.g >= 1000 AND x.r6 < 0.05 THEN md5('bench-export-c-' || (x.g - 1 - (x.g % 997)))::uuid END,
                md5('bench-export-user-' || x.author)::uuid,
                1, x.created, x.created, 
                CASE WHEN x.r7 < 0.01 THEN x.created + interval '1 day' END,
                CASE WHEN x.r7 > 0.92 THEN x.created + interval '2 hours' END,
                CASE WHEN x.status = 'PENDING' THEN x.created END,
                CASE WHEN x.status IN ('HIDDEN', 'REJECTED') THEN 'Off topic, see the rules: "stay on the claim".' END
           FROM (SELECT g,
                        CASE WHEN r1 < 0.5 THEN 'ANNOTATION' WHEN r1 < 0.8 THEN 'COUNTERPOINT' ELSE 'SOURCE' END AS kind,
                        CASE WHEN r2 < 0.94 THEN 'PUBLISHED' WHEN r2 < 0.97 THEN 'PENDING' WHEN r2 < 0.99 THEN 'HIDDEN' ELSE 'REJECTED' END AS status,
                        r3, r4, r5, r6, r7,
                        floor(random() * $5::int)::int AS sn,
                        floor(random() * $6::int)::int AS f1, floor(random() * $6::int)::int AS f2, floor(random() * $6::int)::int AS f3,
                        floor($7::int * power(random(), 2))::int AS author,
                        date_trunc('milliseconds', now() - interval '400 days' + g * ($8::float8 * interval '1 second') + random() * interval '5 seconds') AS created
                   FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7
                           FROM generate_series($1::int, $2::int) g OFFSET 0) r
                 OFFSET 0) x
           JOIN bench_sel s ON s.n = x.sn
           JOIN bench_frag f1 ON f1.n = x.f1
           JOIN bench_frag f2 ON f2.n = x.f2
           JOIN bench_frag f3 ON f3.n = x.f3`,
        [lo, hi, article.id, article.version_id, nSel, nFrag, cfg.authors, (400 * 86400 - 3600) / cfg.rows],
      );
      log(`  seeded ${(hi + 1).toLocaleString("en-US")} contributions (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    // Moderation history, so the export's moderation tables have rows too: a moderator hid or
    // rejected every HIDDEN/REJECTED contribution; 2 % of contributions were flagged by a reader
    // (with a private note, never exported), half of those flags resolved.
    await c.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", role, "createdAt", "updatedAt")
       VALUES (md5('bench-export-moderator')::uuid, 'bench-export-moderator@bench.invalid', 'Bench moderator', '!bench', 'MODERATOR', now(), now())`,
    );
    await c.exec(
      `INSERT INTO "Flag" (id, "contributionId", "reporterId", reason, note, status, "createdAt", "resolvedAt", "resolvedById")
       SELECT md5('bench-export-flag-' || c.id)::uuid, c.id, md5('bench-export-user-' || (abs(hashtext(c.id::text)) % ${cfg.authors}))::uuid,
              (ARRAY['SPAM','HARASSMENT','OFF_TOPIC','MISINFORMATION','OTHER'])[1 + abs(hashtext(c.id::text)) % 5]::"FlagReason",
              'private: "see" the thread, please', CASE WHEN hashtext(c.id::text) % 2 = 0 THEN 'RESOLVED' ELSE 'OPEN' END::"FlagStatus",
              c."createdAt" + interval '1 hour', CASE WHEN hashtext(c.id::text) % 2 = 0 THEN c."createdAt" + interval '1 day' END,
              CASE WHEN hashtext(c.id::text) % 2 = 0 THEN md5('bench-export-moderator')::uuid END
         FROM "Contribution" c WHERE abs(hashtext(c.id::text)) % 50 = 7`,
    );
    await c.exec(
      `INSERT INTO "ModerationLog" (id, "createdAt", "actorId", action, "contributionId", "targetUserId", "fromStatus", "toStatus", reason)
       SELECT md5('bench-export-log-' || c.id)::uuid, c."createdAt" + interval '3 hours', md5('bench-export-moderator')::uuid,
              (CASE c.status WHEN 'HIDDEN' THEN 'HIDE' ELSE 'REJECT' END)::"ModerationAction", c.id, c."authorId",
              'PUBLISHED'::"ContributionStatus", c.status, c."moderationReason"
         FROM "Contribution" c WHERE c.status IN ('HIDDEN', 'REJECTED')
       UNION ALL
       SELECT md5('bench-export-flaglog-' || f.id)::uuid, f."createdAt", f."reporterId", 'FLAG', f."contributionId", NULL, NULL::"ContributionStatus", NULL, f.note
         FROM "Flag" f`,
    );
    await c.exec(`SET session_replication_role = origin; DROP TABLE bench_sel, bench_frag`);
    log("  VACUUM ANALYZE");
    for (const t of ["Contribution", "User", "Flag", "ModerationLog"]) await c.exec(`VACUUM (ANALYZE) "${t}"`);
    await c.exec("CHECKPOINT");
    const [mod] = await c.query<{ flags: number; logs: number }>(
      `SELECT (SELECT count(*)::int FROM "Flag") AS flags, (SELECT count(*)::int FROM "ModerationLog") AS logs`,
    );
    const [size] = await c.query<{ b: string }>(`SELECT pg_total_relation_size('"Contribution"') AS b`);
    return {
      slug: article.slug,
      articleId: article.id,
      paragraphs: paragraphs.length,
      selectors: rows.length,
      authors: cfg.authors,
      optedOutAuthors: Math.ceil(cfg.authors / 50),
      contributions: cfg.rows,
      flags: mod!.flags,
      moderationLog: mod!.logs,
      seconds: (performance.now() - t0) / 1000,
      tableBytes: Number(size!.b),
    };
  });
}

// ---- the reference: COPY ------------------------------------------------------------------------

/**
 * The export's own COPY query for the contributions (lib/research/source.ts copyQuery: the same
 * filter, columns and order as the export reads), imported rather than copied, so the reference
 * measures what the export does even after a column changes.
 */
async function copySql(filters: Record<string, unknown>, articleIds: string[]): Promise<string> {
  const { copyQuery } = await import("@/lib/research/source");
  const { tableDef } = await import("@/lib/research/tables");
  const { exportFiltersSchema } = await import("@/lib/research/schemas");
  return copyQuery(tableDef("contributions"), exportFiltersSchema.parse(filters), articleIds);
}

/** How many fields that query reads: the contributions' columns with SQL, and the extra ones. */
async function copyFieldCount(): Promise<number> {
  const { tableDef } = await import("@/lib/research/tables");
  const t = tableDef("contributions");
  return t.columns.filter((c) => c.sql).length + (t.source?.extra.length ?? 0);
}

interface CopyResult {
  ms: number;
  bytes: number;
  rows: number;
  firstId: string;
  pgCpuMs: number | null;
}

/** Counts CSV records (quote-aware: bodies hold line breaks) and the first record's fields. */
async function csvRecords(file: string): Promise<{ rows: number; firstId: string; columns: number }> {
  let rows = 0;
  let quoted = false;
  let columns = 1;
  let head = "";
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    if (rows === 0 && head.length < 64) head += chunk.subarray(0, 64).toString("utf8");
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x22) quoted = !quoted;
      else if (!quoted) {
        if (b === 0x0a) rows++;
        else if (b === 0x2c && rows === 0) columns++;
      }
    }
  }
  return { rows, firstId: head.slice(0, 36), columns };
}

// ---- running children ---------------------------------------------------------------------------

function runProcess(cmd: string, argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; stdoutFile?: string }) {
  return new Promise<{ code: number; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
    const t0 = performance.now();
    const fd = opts.stdoutFile ? openSync(opts.stdoutFile, "w") : null;
    const p = spawn(cmd, argv, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", fd ?? "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const kill = () => {
      if (p.exitCode === null && p.signalCode === null) p.kill("SIGTERM");
    };
    onCleanup(`stop ${path.basename(cmd)}`, kill);
    p.once("error", reject);
    p.once("exit", (code, signal) => {
      if (fd !== null) closeSync(fd);
      resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

interface ExportRun extends ChildResult {
  wallMs: number;
  pgCpuMs: number | null;
  contributionRows: number;
  /** Time to produce the contributions file (from the previous file closed to it closed). */
  contributionsMs: number;
  tablesMs: number;
  zipMs: number | null;
  /** RSS when the job started (the process's own cost: Node, pg, the app's compiled modules). */
  rssAtStartMB: number;
  /** Highest sampled RSS while the contribution rows streamed. */
  rssContributionsMB: number;
}

// ---- report -------------------------------------------------------------------------------------

const START = "<!-- bench:export:start (written by `npm run bench:export`; edits inside are overwritten) -->";
const END = "<!-- bench:export:end -->";
const HEADING = "## Research export at scale";

function writeSection(file: string, markdown: string): void {
  writeMarkedSection(file, markdown, { start: START, end: END, heading: HEADING });
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const sec = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const mb = (kb: number) => (kb / 1024).toFixed(0);
/** The median run by `key` (the lower middle one for an even count). */
const median = <T,>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(a) - key(b))[Math.floor((xs.length - 1) / 2)]!;

interface Report {
  date: string;
  /** Fields of the contributions' query (COPY's and the export's). */
  copyFields: number;
  command: string;
  commit: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; postgres: string };
  load: { before: number; during: { min: number; max: number; mean: number }; after: number };
  seeded: Seeded;
  filters: Record<string, unknown>;
  exported: number;
  optedOutExcluded: number;
  copy: CopyResult[];
  csv: ExportRun[];
  jsonl: ExportRun[];
  compare: { format: string; identical: boolean; files: { path: string; ours: string; theirs: string }[]; added: string[] }[] | null;
  /** EXPLAIN of the contributions query (the export's COPY and the reference run the same query). */
  plan: string;
}

function renderMarkdown(r: Report): string {
  const m = r.machine;
  const copy = median(r.copy, (x) => x.ms);
  const csv = median(r.csv, (x) => x.contributionsMs);
  const jsonl = median(r.jsonl, (x) => x.contributionsMs);
  const rps = (rows: number, ms: number) => rows / (ms / 1000);
  const copyRps = rps(copy.rows, copy.ms);
  const csvRps = rps(csv.contributionRows, csv.contributionsMs);
  const jsonlRps = rps(jsonl.contributionRows, jsonl.contributionsMs);
  const ratio = csvRps / copyRps;
  // COPY and the exports run one after the other, and other work on the machine slows any of them:
  // the ratio is also given round by round and best against best, and judged on the lowest.
  const rounds = r.copy.map((c, i) => (r.csv[i] ? rps(r.csv[i]!.contributionRows, r.csv[i]!.contributionsMs) / rps(c.rows, c.ms) : Number.NaN));
  const bestRatio =
    Math.max(...r.csv.map((x) => rps(x.contributionRows, x.contributionsMs))) / Math.max(...r.copy.map((c) => rps(c.rows, c.ms)));
  const judged = Math.min(ratio, bestRatio);
  const maxRss = Math.max(...[...r.csv, ...r.jsonl].map((x) => x.maxRssKB)) / 1024;
  const ok = (b: boolean) => (b ? "**met**" : "**missed**");
  const fileOf = (x: ExportRun, ext: string) => x.files.find((f) => f.path === `contributions.${ext}`);
  const line = (label: string, x: ExportRun, ext: string) =>
    `| ${label} | ${int(x.contributionRows)} | ${sec(x.contributionsMs)} | **${int(rps(x.contributionRows, x.contributionsMs))}** | ${sec(x.tablesMs)} | ${x.zipMs === null ? "n/a" : sec(x.zipMs)} | ${sec(x.jobMs)} | ${sec(x.wallMs)} | ${int(x.cpuUserMs + x.cpuSystemMs)} | ${x.pgCpuMs === null ? "n/a" : int(x.pgCpuMs)} | ${int(x.rssAtStartMB)} | ${int(x.rssContributionsMB)} | **${mb(x.maxRssKB)}** | ${int((fileOf(x, ext)?.bytes ?? 0) / 2 ** 20)} | ${int(x.bundleBytes / 2 ** 20)} |`;
  const lines = [
    `### Latest run — ${r.date}`,
    "",
    `- Command: \`${r.command}\` (commit \`${r.commit}\`)`,
    `- Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres} (default settings, throwaway cluster; \`max_wal_size\` raised for the seed only)`,
    `- Other load on the machine: 1-minute load average ${r.load.before.toFixed(2)} before measuring, ${r.load.during.min.toFixed(2)}–${r.load.during.max.toFixed(2)} (mean ${r.load.during.mean.toFixed(2)}) while measuring, ${r.load.after.toFixed(2)} after, on ${m.cores} CPUs shared by PostgreSQL, the export and everything else`,
    `- Data: ${int(r.seeded.contributions)} contributions on the ${r.seeded.paragraphs} paragraphs of \`${r.seeded.slug}\` (${int(r.seeded.selectors)} distinct valid selectors: whole paragraphs, prefixes and word spans, hot paragraphs weighted) by ${int(r.seeded.authors)} authors (${int(r.seeded.optedOutAuthors)} opted out); 50/30/20 % annotations/counterpoints/sources (sources with URL, stance, mostly a title); bodies of ~100–400 characters with commas, quotes, CR/LF, non-ASCII and emoji, 4 % starting with \`= - + @\`; 94/3/2/1 % published/pending/hidden/rejected, 1 % deleted, 8 % edited, 5 % replies; created over 400 days; ${int(r.seeded.flags)} flags (2 %) and ${int(r.seeded.moderationLog)} moderation log rows (hide/reject decisions, reports). Contribution table with indexes ${int(r.seeded.tableBytes / 2 ** 20)} MB; seeded set-based (\`INSERT … SELECT generate_series\`) in ${r.seeded.seconds.toFixed(0)} s, then \`VACUUM ANALYZE\`.`,
    `- Export: filters \`${JSON.stringify(r.filters)}\` (every status, with moderation events and flags, as an operator may) → **${int(r.exported)} contributions** exported, ${int(r.optedOutExcluded)} left out (opted out). CSV and JSONL each through \`operatorExport\` (lib/research/cli-export.ts: the job row, bundle and audit entry with raw SQL, no Prisma client) — what \`npm run export\` runs — in a fresh \`node\` process running the compiled JavaScript (\`.build/export/\`, scripts/build-export.mjs), one at a time.`,
    `- Reference: \`psql -c "COPY (SELECT <the export's ${r.copyFields} SQL columns> … WHERE <the export's filter> ORDER BY c.\\"createdAt\\", c.id) TO STDOUT (FORMAT csv)"\` into a file: ${int(copy.rows)} rows, ${int(copy.bytes / 2 ** 20)} MB, ${sec(copy.ms)} s (psql process wall time, connection included). The first row and the row count match the exported file.`,
    "",
    "| | contribution rows | contributions s | **rows/s** | all tables s | zip s | job s | process s | export CPU ms | PostgreSQL CPU ms | RSS at job start MB | RSS while streaming MB | **peak RSS MB** | contributions file MB | bundle MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| COPY … TO STDOUT (FORMAT csv) | ${int(copy.rows)} | ${sec(copy.ms)} | **${int(copyRps)}** | | | | ${sec(copy.ms)} | | ${copy.pgCpuMs === null ? "n/a" : int(copy.pgCpuMs)} | | | | ${int(copy.bytes / 2 ** 20)} | |`,
    line("Export CSV (job path)", csv, "csv"),
    line("Export JSONL (job path)", jsonl, "jsonl"),
    "",
    "- *contributions s*: from the file before it (paragraphs) closed to `contributions.<ext>` closed and hashed — every batch fetched, transformed (pseudonym HMAC, code-point offsets, CSV/JSON encoding) and written; *rows/s* is contribution rows over that. *all tables s*: job start to the last file of the bundle closed (counts, articles, versions, paragraphs, contributions, data dictionary, README, manifest, SHA256SUMS). *zip s*: from there to the zip written (deflate). *job s*: `operatorExport` called to returned (job row, tables, documents, zip, job bookkeeping). *process s*: the child's whole life (loading the code, the job). *CPU ms*: the child's user + system time; PostgreSQL's: all its processes during the child (from /proc) — steadier than wall time when other work competes. *RSS at job start*: what the process holds before the export reads a row (Node, pg and the app's compiled modules); *RSS while streaming*: the highest RSS sampled every 250 ms while the contribution rows streamed; *peak RSS*: the child's `process.resourceUsage().maxRSS` (VmHWM) — the whole process over its whole life, what the target is about.",
    `- Target "peak RSS at most ${TARGET_RSS_MB} MB": CSV ${mb(csv.maxRssKB)} MB, JSONL ${mb(jsonl.maxRssKB)} MB (highest of all runs ${maxRss.toFixed(0)} MB) — ${ok(maxRss <= TARGET_RSS_MB)}.`,
    `- Target "CSV at least ${TARGET_RATIO}× COPY's rows/s": CSV ${int(csvRps)} rows/s vs COPY ${int(copyRps)} rows/s = **${ratio.toFixed(2)}×**${
      r.copy.length > 1 ? ` (run by run ${rounds.map((x) => `${x.toFixed(2)}×`).join(", ")}; best against best **${bestRatio.toFixed(2)}×**)` : ""
    } — ${ok(judged >= TARGET_RATIO)}. (JSONL: ${int(jsonlRps)} rows/s, ${(jsonlRps / copyRps).toFixed(2)}× COPY.)`,
  ];
  if (r.csv.length > 1 || r.jsonl.length > 1) {
    lines.push(
      `- ${r.csv.length} runs each (COPY, CSV, JSONL in turn), the median shown; all runs, COPY s: ${r.copy.map((x) => sec(x.ms)).join(", ")}; contributions s: CSV ${r.csv.map((x) => sec(x.contributionsMs)).join(", ")}; JSONL ${r.jsonl.map((x) => sec(x.contributionsMs)).join(", ")}; peak RSS MB: CSV ${r.csv.map((x) => mb(x.maxRssKB)).join(", ")}; JSONL ${r.jsonl.map((x) => mb(x.maxRssKB)).join(", ")}.`,
    );
  }
  if (r.compare) {
    for (const c of r.compare) {
      lines.push(
        `- Output compared with another checkout's code on the same data (\`BENCH_EXPORT_COMPARE_WITH\`), ${c.format}: ${c.identical ? "every table file both write byte-identical" : "**DIFFERENT**"}${c.added.length ? ` (only this checkout writes ${c.added.join(", ")})` : ""} (${c.files.map((f) => `${f.path} ${f.ours.slice(0, 12)}${f.ours === f.theirs ? "" : ` ≠ ${f.theirs.slice(0, 12)}`}`).join(", ")}).`,
      );
    }
  }
  lines.push(
    "",
    "<details><summary>The plan of the contributions query (EXPLAIN; the export’s COPY and the reference run the same query)</summary>",
    "",
    "```",
    r.plan,
    "```",
    "",
    "</details>",
    "",
  );
  return lines.join("\n");
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { startCluster, recreateDatabase, databaseUrl, findPgBin } = await import("./lib/postgres");
  const { postmasterPid, sampleCpu, cpuAvailable } = await import("./lib/cpu");
  // The export children run the compiled CLI code, rebuilt here if a source changed.
  const built = spawnSync(process.execPath, [path.join(root, "scripts/build-export.mjs")], { stdio: "inherit" });
  if (built.status !== 0) throw new Error("scripts/build-export.mjs failed");
  const work = mkdtempSync(path.join(os.tmpdir(), "bench-export-"));
  onCleanup("remove the work directory", () => rmSync(work, { recursive: true, force: true }));

  log(`starting a throwaway PostgreSQL cluster on 127.0.0.1:${cfg.pgPort}`);
  const cluster = await startCluster(cfg.pgPort);
  onCleanup("stop PostgreSQL", () => cluster.stop());
  const adminUrl = `${cluster.serverUrl}/postgres`;
  {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    // Only the seed writes; fewer checkpoints while 1,000,000 rows go in. Reads are unaffected.
    await admin.query(`ALTER SYSTEM SET max_wal_size = '4GB'`);
    await admin.query(`SELECT pg_reload_conf()`);
    await admin.end();
  }
  await recreateDatabase(adminUrl, cfg.dbName);
  const dbUrl = databaseUrl(adminUrl, cfg.dbName);
  process.env.DATABASE_URL = dbUrl;
  const { closeDb, withSql } = await import("@/lib/db/client");
  const { prepareDatabase } = await import("@/lib/startup");
  await prepareDatabase();
  onCleanup("close the app's database client", () => closeDb());

  log(`seeding ${int(cfg.rows)} contributions by ${int(cfg.authors)} authors`);
  const seeded = await seed(withSql);
  log(`seeded in ${seeded.seconds.toFixed(0)} s; Contribution is ${int(seeded.tableBytes / 2 ** 20)} MB with its indexes`);

  const { operatorStudy } = await import("@/lib/research/studies");
  await operatorStudy(STUDY);
  if (args.includes("--hold")) {
    // Development: keep the seeded cluster for experiments until Ctrl-C / SIGTERM.
    log(`holding: DATABASE_URL=${dbUrl} (Ctrl-C to stop and delete the cluster)`);
    await new Promise(() => setInterval(() => undefined, 60_000)); // a pending promise alone would let Node exit
  }
  const filters = { articles: [], statuses: ["PUBLISHED", "PENDING", "HIDDEN", "REJECTED"], includeModeration: true };
  const sql = new pg.Client({ connectionString: dbUrl });
  await sql.connect();
  onCleanup("close the checking connection", () => sql.end());
  const articleIds = (await sql.query<{ id: string }>(`SELECT id FROM "Article" ORDER BY slug`)).rows.map((r) => r.id);
  const copyText = await copySql(filters, articleIds);
  const fieldCount = await copyFieldCount();
  const expected = Number(
    (await sql.query<{ n: string }>(`SELECT count(*) AS n FROM (${copyText}) q`)).rows[0]!.n,
  );
  log(`${int(expected)} contributions match the export's filters`);
  const plan = (await sql.query<{ "QUERY PLAN": string }>(`EXPLAIN ${copyText}`)).rows.map((r) => r["QUERY PLAN"]).join("\n");

  const pgBin = findPgBin();
  const psql = path.join(pgBin, "psql");
  const pm = postmasterPid(cluster.dataDir);
  const pgCpu = cpuAvailable() && pm !== null ? () => sampleCpu({ serverPgid: -1, postmasterPid: pm }).postgres : () => null;
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);

  const runCopy = async (): Promise<CopyResult> => {
    const out = path.join(work, "copy.csv");
    const before = pgCpu();
    const res = await runProcess(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dbUrl, "-c", `COPY (${copyText}) TO STDOUT (FORMAT csv)`], {
      cwd: work,
      env: process.env,
      stdoutFile: out,
    });
    const pgCpuMs = diff(before, pgCpu());
    if (res.code !== 0) throw new Error(`psql COPY failed: ${res.stderr}`);
    const bytes = statSync(out).size;
    const { rows, firstId, columns } = await csvRecords(out);
    rmSync(out, { force: true });
    if (rows !== expected || columns !== fieldCount) throw new Error(`COPY wrote ${rows} records of ${columns} fields, expected ${expected} of ${fieldCount}`);
    return { ms: res.ms, bytes, rows, firstId, pgCpuMs };
  };

  const exportDir = path.join(work, "exports");
  const runExportChild = async (format: "csv" | "jsonl", checkout = root): Promise<ExportRun> => {
    // This checkout's child runs compiled, as `npm run export` does (scripts/build-export.mjs); another
    // checkout's (BENCH_EXPORT_COMPARE_WITH) through tsx, as this process runs, whatever its code does.
    const own = checkout === root;
    const nodeArgs = own ? [] : [...process.execArgv];
    if (cfg.cpuProf && own) {
      mkdirSync(cfg.cpuProf, { recursive: true });
      nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${cfg.cpuProf}`, `--cpu-prof-name=export-${format}-${Date.now()}.cpuprofile`);
    }
    const entry = own ? path.join(root, ".build/export/bench-export.mjs") : path.join(checkout, "bench/export.mts");
    const before = pgCpu();
    const res = await runProcess(process.execPath, [...nodeArgs, entry, "--child", format], {
      cwd: checkout,
      env: { ...process.env, DATABASE_URL: dbUrl, EXPORT_DIR: exportDir, BENCH_EXPORT_FILTERS: JSON.stringify(filters) },
    });
    const pgCpuMs = diff(before, pgCpu());
    const line = res.stdout.split("\n").find((l) => l.startsWith(RESULT_TAG));
    if (res.code !== 0 || !line) throw new Error(`export child (${format}, ${checkout}) failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
    const r = JSON.parse(line.slice(RESULT_TAG.length)) as ChildResult;
    if (r.status !== "SUCCEEDED") throw new Error(`export ${format} ended ${r.status}: ${r.error}`);
    const file = `contributions.${format}`;
    const i = r.closed.findIndex((c) => c.file === file);
    if (i < 1) throw new Error(`no ${file} in ${JSON.stringify(r.closed)}`);
    const contributionRows = r.files.find((f) => f.path === file)?.rows ?? -1;
    if (contributionRows !== expected) throw new Error(`${file}: ${contributionRows} rows, expected ${expected}`);
    rmSync(path.join(exportDir, `${r.jobId}.zip`), { force: true });
    const during = r.memory.filter(([t]) => t >= r.closed[i - 1]!.ms && t <= r.closed[i]!.ms).map(([, rss]) => rss);
    return {
      rssAtStartMB: r.memory[0]?.[1] ?? Number.NaN,
      rssContributionsMB: during.length ? Math.max(...during) : Number.NaN,
      ...r,
      wallMs: res.ms,
      pgCpuMs,
      contributionRows,
      contributionsMs: r.closed[i]!.ms - r.closed[i - 1]!.ms,
      tablesMs: r.zipStartMs ?? Number.NaN,
      zipMs: r.zipEndMs !== null && r.zipStartMs !== null ? r.zipEndMs - r.zipStartMs : null,
    };
  };

  // Warm-up, not counted: the table and its index into the caches, the code paths once.
  log("warm-up: one COPY (not counted)");
  const warm = await runCopy();
  log(`  ${sec(warm.ms)} s`);

  const loadBefore = os.loadavg()[0]!;
  const samples: number[] = [loadBefore];
  const timer = setInterval(() => samples.push(os.loadavg()[0]!), 5000);
  timer.unref();
  const copies: CopyResult[] = [];
  const csvs: ExportRun[] = [];
  const jsonls: ExportRun[] = [];
  for (let k = 0; k < cfg.repeat; k++) {
    log(`run ${k + 1}/${cfg.repeat}: COPY`);
    const c = await runCopy();
    copies.push(c);
    log(`  ${sec(c.ms)} s, ${int(c.rows / (c.ms / 1000))} rows/s, ${int(c.bytes / 2 ** 20)} MB; PostgreSQL CPU ${c.pgCpuMs ?? "n/a"} ms`);
    for (const [format, list] of [["csv", csvs], ["jsonl", jsonls]] as const) {
      log(`run ${k + 1}/${cfg.repeat}: export ${format}`);
      const e = await runExportChild(format);
      list.push(e);
      log(
        `  contributions ${sec(e.contributionsMs)} s = ${int(e.contributionRows / (e.contributionsMs / 1000))} rows/s; tables ${sec(e.tablesMs)} s, zip ${e.zipMs === null ? "n/a" : sec(e.zipMs)} s, job ${sec(e.jobMs)} s, process ${sec(e.wallMs)} s; peak RSS ${mb(e.maxRssKB)} MB; CPU ${int(e.cpuUserMs + e.cpuSystemMs)} ms, PostgreSQL ${e.pgCpuMs ?? "n/a"} ms`,
      );
      if (c.firstId !== "" && !e.files.length) throw new Error("no manifest files");
    }
  }
  clearInterval(timer);
  const loadAfter = os.loadavg()[0]!;
  samples.push(loadAfter);

  // The first exported id equals COPY's first row (same order, same rows).
  {
    const first = (await sql.query<{ id: string }>(`SELECT id FROM (${copyText}) q LIMIT 1`)).rows[0]?.id ?? "";
    if (first !== copies[0]!.firstId) throw new Error(`COPY's first row ${copies[0]!.firstId} is not the first contribution ${first}`);
  }

  let compare: Report["compare"] = null;
  if (cfg.compareWith) {
    compare = [];
    for (const format of ["csv", "jsonl"] as const) {
      log(`comparing with ${cfg.compareWith}: export ${format}`);
      const theirs = await runExportChild(format, cfg.compareWith);
      const ours = (format === "csv" ? csvs : jsonls)[0]!;
      const tables = ours.files.filter((f) => f.rows !== null);
      // A table the other checkout does not write yet (a newer schema's) is listed, not compared.
      const theirTables = theirs.files.filter((f) => f.rows !== null);
      const files = tables.filter((f) => theirTables.some((t) => t.path === f.path)).map((f) => ({ path: f.path, ours: f.sha256, theirs: theirTables.find((t) => t.path === f.path)!.sha256 }));
      const added = tables.filter((f) => !theirTables.some((t) => t.path === f.path)).map((f) => f.path);
      const identical = files.every((f) => f.ours === f.theirs) && theirTables.every((t) => tables.some((f) => f.path === t.path));
      compare.push({ format, identical, files, added });
      log(`  ${identical ? "identical" : "DIFFERENT"}: ${files.map((f) => `${f.path} ${f.ours === f.theirs ? "=" : "≠"}`).join(", ")}; theirs: contributions ${sec(theirs.contributionsMs)} s, peak RSS ${mb(theirs.maxRssKB)} MB`);
    }
  }

  const cpus = os.cpus();
  const optedOut = Number(
    (
      await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM "Contribution" c JOIN "User" u ON u.id = c."authorId" WHERE c."deletedAt" IS NULL AND u."researchOptOut"`,
      )
    ).rows[0]!.n,
  );
  const envKnobs = Object.keys(process.env)
    .filter((k) => /^BENCH_/.test(k) && k !== "BENCH_EXPORT_FILTERS")
    .sort()
    .map((k) => `${k}=${process.env[k]}`);
  const report: Report = {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    copyFields: fieldCount,
    command: [...envKnobs, "npm run bench:export"].join(" "),
    commit: gitCommit(root),
    machine: {
      cpu: cpus[0]?.model.trim() ?? "unknown CPU",
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: cluster.version,
    },
    load: {
      before: loadBefore,
      during: { min: Math.min(...samples), max: Math.max(...samples), mean: samples.reduce((a, b) => a + b, 0) / samples.length },
      after: loadAfter,
    },
    seeded,
    filters,
    exported: expected,
    optedOutExcluded: optedOut,
    copy: copies,
    csv: csvs,
    jsonl: jsonls,
    compare,
    plan,
  };
  const markdown = renderMarkdown(report);
  if (cfg.perfMd) writeSection(cfg.perfMd, markdown);
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `export-${report.date.replace(/:/g, "-")}.json`), JSON.stringify(report, null, 2));
  console.log(`\n${markdown}`);
  log(`wrote ${cfg.perfMd ? `${path.relative(root, cfg.perfMd)} and ` : ""}bench/results/`);
  if (compare?.some((c) => !c.identical)) process.exitCode = 1;
}

if (args[0] === "--child") {
  const format = args[1];
  if (format !== "csv" && format !== "jsonl") throw new Error(`--child csv|jsonl (got ${format})`);
  await child(format);
} else {
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      console.error(`[bench:export] ${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (err) {
    console.error(`[bench:export] ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}
