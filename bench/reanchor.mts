// npm run bench:reanchor — re-anchoring 10,000 and 100,000 contributions across a revision of the
// Moscow Times article (content/articles), on a throwaway PostgreSQL (or BENCH_DATABASE_URL). For each
// size: load version 1 through the real loader, seed the contributions (bench/lib/seed.ts: valid
// selectors, hot paragraphs), then revise the article (words inserted inside quotes, a sentence
// prepended, a split, a merge, a move, a deletion, an insertion, a rewrite, quotes restyled) and
// measure (1) the pure engine, reanchorRevision, over the same inputs (median of BENCH_REANCHOR_REPEAT),
// and (2) the whole publishing transaction, loadContent (version + paragraphs + alignment + reading
// the placements + engine + writing lineage and anchorings). Checks one anchoring per contribution,
// every placed selector valid on its paragraph. Writes its section of docs/perf.md.
//
// The publishing transaction is timed step by step (lib/anchoring/publish-steps.ts) and, at sizes up to
// 10,000, run BENCH_REANCHOR_PUBLISH_REPEAT times on fresh copies of the article (median reported);
// the load average is recorded with the figures (the machine is shared).
//
// Knobs: BENCH_REANCHOR_SIZES (10000,100000), BENCH_REANCHOR_REPEAT (5), BENCH_REANCHOR_PUBLISH_REPEAT (3),
// BENCH_REANCHOR_PG_PORT (56436),
// BENCH_DATABASE_URL (an existing server: a database `bench_reanchor` is recreated on it), BENCH_PG_BIN,
// BENCH_PERF_MD (docs/perf.md; "-" writes none).
import diagnosticsChannel from "node:diagnostics_channel";
import os from "node:os";
import path from "node:path";
import { PUBLISH_STEPS_CHANNEL, type PublishStep } from "@/lib/anchoring/publish-steps";
import { cleanupStack } from "./lib/cleanup";
import { loadSampler } from "./lib/loadavg";
import { writeMarkedSection } from "./lib/report";
import { databaseUrl, recreateDatabase, startCluster } from "./lib/postgres";
import { reviseArticle } from "./lib/revise-article";

const sizes = (process.env.BENCH_REANCHOR_SIZES ?? "10000,100000").split(",").map((s) => Number(s.trim()));
const repeat = Number(process.env.BENCH_REANCHOR_REPEAT ?? 5);
const publishRepeat = Number(process.env.BENCH_REANCHOR_PUBLISH_REPEAT ?? 3);
const port = Number(process.env.BENCH_REANCHOR_PG_PORT ?? 56436);
const perfMd = process.env.BENCH_PERF_MD ?? path.join(process.cwd(), "docs", "perf.md");
const { onCleanup, cleanup } = cleanupStack("bench:reanchor");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface PublishRun {
  ms: number;
  steps: PublishStep[];
  /** 1-minute load average when it ran. */
  load: number;
}

interface SizeResult {
  contributions: number;
  seedSeconds: number;
  engineMs: number[];
  runs: PublishRun[];
  methods: Record<string, number>;
  changes: Record<string, number>;
}

/** The run with the median time (the lower middle one of an even count). */
function medianRun(runs: PublishRun[]): PublishRun {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)]!;
}

async function main() {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let pgVersion = "unknown";
  if (!serverUrl) {
    const cluster = await startCluster(port);
    onCleanup("postgres", () => cluster.stop());
    serverUrl = `${cluster.serverUrl}/postgres`;
    pgVersion = cluster.version;
  }
  await recreateDatabase(serverUrl, "bench_reanchor");
  process.env.DATABASE_URL = databaseUrl(serverUrl, "bench_reanchor");
  // Imported only now: the app reads DATABASE_URL once.
  const { closeDb, getDb } = await import("@/lib/db/client");
  onCleanup("db", () => closeDb());
  const { loadContent, readArticles } = await import("@/lib/content/load-content");
  const { parseArticle } = await import("@/lib/content/parse-article");
  const { reanchorRevision } = await import("@/lib/anchoring/reanchor-revision");
  const { verifySelector } = await import("@/lib/annotations/selector");
  const { seedContributions } = await import("./lib/seed");
  const db = await getDb();
  if (pgVersion === "unknown") pgVersion = ((await db.$queryRaw<{ v: string }[]>`SELECT current_setting('server_version') AS v`)[0]?.v) ?? "unknown";
  const [base] = await readArticles();
  if (!base) throw new Error("no article in content/articles");
  const oldTexts = base.paragraphs.map((p) => p.text);
  const newTexts = reviseArticle(oldTexts);
  const source = (title: string, ps: readonly string[]) => `---\ntitle: ${JSON.stringify(title)}\n---\n\n${ps.join("\n\n")}\n`;

  // Steps are collected only while the publishing transaction is timed (not while version 1 loads).
  let steps: PublishStep[] | null = null;
  const onStep = (m: unknown) => steps?.push(m as PublishStep);
  diagnosticsChannel.subscribe(PUBLISH_STEPS_CHANNEL, onStep);
  onCleanup("steps", () => diagnosticsChannel.unsubscribe(PUBLISH_STEPS_CHANNEL, onStep));
  const sampler = loadSampler();

  const results: SizeResult[] = [];
  for (const n of sizes) {
    const runs: PublishRun[] = [];
    let engineMs: number[] = [];
    let seedSeconds = 0;
    let methods: Record<string, number> = {};
    let changes: Record<string, number> = {};
    const times = n <= 10000 ? Math.max(1, publishRepeat) : 1;
    for (let run = 0; run < times; run++) {
      const slug = `bench-reanchor-${n}-${run + 1}`;
      await loadContent(db, [parseArticle(slug, source(base.frontmatter.title, oldTexts))]);
      const seed = await seedContributions(db, { slug, contributions: n, authors: 300 });
      seedSeconds = seed.seconds;
      console.log(`[bench:reanchor] ${n}: seeded in ${seed.seconds.toFixed(1)} s`);

      if (run === 0) {
        // (1) The engine alone, on what the loader would hand it.
        const v1 = await db.articleVersion.findFirstOrThrow({
          where: { article: { slug } },
          select: { id: true, paragraphs: { orderBy: { position: "asc" }, select: { id: true, anchorId: true, text: true } } },
        });
        const rows = await db.contribution.findMany({
          where: { articleVersionId: v1.id },
          select: { id: true, parentId: true, quoteExact: true, quotePrefix: true, quoteSuffix: true, paragraphId: true, startOffset: true, endOffset: true },
        });
        const placements = rows.map((r) => ({
          id: r.id,
          parentId: r.parentId,
          quote: { exact: r.quoteExact, prefix: r.quotePrefix, suffix: r.quoteSuffix },
          at: { paragraphId: r.paragraphId, start: r.startOffset, end: r.endOffset },
          method: "exact" as const,
          score: 1,
          sinceVersion: 1,
        }));
        const newParas = parseArticle(slug, source(base.frontmatter.title, newTexts)).paragraphs.map((p, i) => ({ id: `new-${i}`, anchorId: p.anchorId, text: p.text }));
        engineMs = [];
        for (let k = 0; k < repeat; k++) {
          const t0 = performance.now();
          reanchorRevision(v1.paragraphs, newParas, placements, 2);
          engineMs.push(performance.now() - t0);
        }
      }

      // (2) The whole publishing transaction, through the loader.
      const timed: PublishStep[] = (steps = []);
      const load = os.loadavg()[0]!;
      const t0 = performance.now();
      const res = await loadContent(db, [parseArticle(slug, source(base.frontmatter.title, newTexts))]);
      const ms = performance.now() - t0;
      steps = null;
      if (!res.created.includes(slug)) throw new Error(`${slug}: no new version`);
      runs.push({ ms, steps: timed, load });

      // Checks.
      const v2 = await db.articleVersion.findFirstOrThrow({ where: { article: { slug }, number: 2 }, select: { id: true } });
      const anchorings = await db.contributionAnchoring.findMany({
        where: { versionId: v2.id },
        select: { method: true, startOffset: true, endOffset: true, quoteExact: true, quotePrefix: true, quoteSuffix: true, paragraph: { select: { text: true } } },
      });
      if (anchorings.length !== n) throw new Error(`${slug}: ${anchorings.length} anchorings for ${n} contributions`);
      methods = {};
      for (const a of anchorings) {
        methods[a.method] = (methods[a.method] ?? 0) + 1;
        if (a.method === "ORPHANED") continue;
        const ok = verifySelector(a.paragraph!.text, { start: a.startOffset!, end: a.endOffset!, exact: a.quoteExact!, prefix: a.quotePrefix!, suffix: a.quoteSuffix! });
        if (!ok.ok) throw new Error(`${slug}: an invalid stored selector (${ok.field}: ${ok.message})`);
      }
      // The current placement (ADR 0042) says what the new version's anchoring says.
      const [{ drift }] = await db.$queryRaw<[{ drift: bigint }]>`
        SELECT count(*) AS drift FROM "ContributionAnchoring" a JOIN "Contribution" c ON c.id = a."contributionId"
        WHERE a."versionId" = ${v2.id}::uuid
          AND (c."placedAnchorId", c."placedStart", c."placedEnd", c."placedExact", c."placedPrefix", c."placedSuffix",
               c."placedWhole", c."placedMethod", c."placedScore", c."placedSince")
              IS DISTINCT FROM (a."anchorId", a."startOffset", a."endOffset", a."quoteExact", a."quotePrefix", a."quoteSuffix",
               a."wholeParagraph", a.method, a.score, a."sinceVersion")`;
      if (drift !== 0n) throw new Error(`${slug}: ${drift} contributions whose current placement differs from the new anchoring`);
      const lineage = await db.paragraphLineage.groupBy({ by: ["kind"], where: { toVersionId: v2.id }, _count: { _all: true } });
      changes = Object.fromEntries(lineage.map((l) => [l.kind, l._count._all]));
      console.log(
        `[bench:reanchor] ${n}: publishing transaction ${ms.toFixed(0)} ms (load ${load.toFixed(2)}): ${timed.map((st) => `${st.step} ${st.ms.toFixed(0)}`).join(", ")}; ${JSON.stringify(methods)}`,
      );
    }
    console.log(`[bench:reanchor] ${n}: engine median ${median(engineMs).toFixed(0)} ms, publishing transaction median ${medianRun(runs).ms.toFixed(0)} ms`);
    results.push({ contributions: n, seedSeconds, engineMs, runs, methods, changes });
  }
  const loadavg = sampler.stop();

  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const fmt = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
  const ms = (x: number) => (x < 10 ? x.toFixed(1) : fmt(x));
  const stepNames = [...new Set(results.flatMap((r) => medianRun(r.runs).steps.map((st) => st.step)))];
  const stepOf = (r: SizeResult, name: string) => medianRun(r.runs).steps.filter((st) => st.step === name).reduce((a, st) => a + st.ms, 0);
  const rest = (r: SizeResult) => {
    const m = medianRun(r.runs);
    return m.ms - m.steps.filter((st) => !st.overlapped).reduce((a, st) => a + st.ms, 0);
  };
  const lines = [
    `### Latest run — ${when}`,
    "",
    `PostgreSQL ${pgVersion}, Node ${process.version}, ${os.cpus().length} × ${cpu} (shared with other work; load average ` +
      `${loadavg.min.toFixed(2)}–${loadavg.max.toFixed(2)}, mean ${loadavg.mean.toFixed(2)}, during the run). ` +
      `Article: ${oldTexts.length} paragraphs → ${newTexts.length}; lineage of the revision: ${Object.entries(results[0]?.changes ?? {})
        .map(([k, v]) => `${v} ${k.toLowerCase()}`)
        .join(", ")}.`,
    "",
    "| Contributions | Engine (median of " + repeat + ") | Publishing transaction (loader, median) | Exact | Fuzzy | Orphaned | Target |",
    "|---:|---:|---:|---:|---:|---:|---|",
    ...results.map(
      (r) =>
        `| ${fmt(r.contributions)} | ${fmt(median(r.engineMs))} ms | ${fmt(medianRun(r.runs).ms)} ms | ${fmt(r.methods.EXACT ?? 0)} | ${fmt(r.methods.FUZZY ?? 0)} | ${fmt(r.methods.ORPHANED ?? 0)} | ${
          r.contributions === 10000 ? (medianRun(r.runs).ms < 1000 ? "under 1 s: **met**" : "under 1 s: **missed**") : "—"
        } |`,
    ),
    "",
    `Engine runs: ${results.map((r) => `${fmt(r.contributions)}: ${r.engineMs.map((m) => fmt(m)).join(", ")} ms`).join("; ")}.`,
    `Publishing runs (each on a freshly seeded copy; 1-minute load average at its start): ${results
      .map((r) => `${fmt(r.contributions)}: ${r.runs.map((x) => `${fmt(x.ms)} ms (${x.load.toFixed(1)})`).join(", ")}`)
      .join("; ")}.`,
    "",
    "Where the median run's time went (ms):",
    "",
    `| Step | ${results.map((r) => fmt(r.contributions)).join(" | ")} |`,
    `|---|${results.map(() => "---:").join("|")}|`,
    // An overlapped step ran while another step's statement was in flight: it is inside that step's time.
    ...stepNames.map((name) => `| ${name} | ${results.map((r) => ms(stepOf(r, name))).join(" | ")} |`),
    `| the rest (article lookups, BEGIN, COMMIT) | ${results.map((r) => ms(rest(r))).join(" | ")} |`,
    "",
  ];
  if (perfMd !== "-") {
    writeMarkedSection(perfMd, lines.join("\n"), {
      start: "<!-- bench:reanchor:start (written by `npm run bench:reanchor`; edits inside are overwritten) -->",
      end: "<!-- bench:reanchor:end -->",
      heading: "## Re-anchoring a revision",
    });
  }
  console.log(lines.join("\n"));
}

try {
  await main();
} catch (err) {
  console.error(`[bench:reanchor] ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
