// npm run bench:scoring — the bridging model (lib/ranking/model.ts) on 100,000 ratings over
// 10,000 items from a seeded two-camp population: time and memory of a fit, and what the fit
// finds. Then the whole scoring job (read ratings, fit, write scores + history in one
// transaction) against PostgreSQL: BENCH_SCORING_DATABASE_URL (a server; a database
// annotated_bench_scoring is created and dropped there) or, unset, a throwaway cluster on
// 127.0.0.1:BENCH_SCORING_PG_PORT (56435). Writes its section of docs/perf.md (BENCH_PERF_MD=-: none).
import os from "node:os";
import path from "node:path";
import { envNumber } from "./lib/env";
import { mulberry32 } from "./lib/random";
import { writeMarkedSection } from "./lib/report";
import { databaseUrl, dropDatabase, recreateDatabase, serverVersion, startCluster, type Cluster } from "./lib/postgres";
import { MODEL_PARAMS, THRESHOLDS } from "@/lib/ranking/config";
import { fitModel, type RatingInput } from "@/lib/ranking/model";
import { statusFor } from "@/lib/ranking/status";

const cfg = {
  ratings: envNumber("BENCH_SCORING_RATINGS", 100_000),
  items: envNumber("BENCH_SCORING_ITEMS", 10_000),
  raters: envNumber("BENCH_SCORING_RATERS", 5_000),
  repeat: envNumber("BENCH_SCORING_REPEAT", 3),
  pgPort: envNumber("BENCH_SCORING_PG_PORT", 56435),
  seed: envNumber("BENCH_SCORING_SEED", 42),
};
const DB = "annotated_bench_scoring";

type Kind = "partisanA" | "partisanB" | "bridging" | "bad";

/**
 * Raters: half camp A (lean +1), half camp B (lean −1). Items: 30 % partisan A, 30 % partisan B,
 * 20 % helpful to both, 20 % unhelpful to both. Each rating: a uniformly drawn rater and item,
 * value from the rater's side (helpful with probability 0.85 where the item suits them, 0.15
 * where not; 10 % of ratings "somewhat"). Same seed, same ratings.
 */
function population() {
  const rand = mulberry32(cfg.seed);
  const kinds: Kind[] = Array.from({ length: cfg.items }, () => {
    const x = rand();
    return x < 0.3 ? "partisanA" : x < 0.6 ? "partisanB" : x < 0.8 ? "bridging" : "bad";
  });
  const camp = Array.from({ length: cfg.raters }, (_, i) => (i % 2 === 0 ? "A" : "B"));
  const seen = new Set<number>();
  const ratings: RatingInput[] = [];
  while (ratings.length < cfg.ratings) {
    const u = Math.floor(rand() * cfg.raters);
    const i = Math.floor(rand() * cfg.items);
    const key = u * cfg.items + i;
    if (seen.has(key)) continue;
    seen.add(key);
    const k = kinds[i]!;
    const suits = k === "bridging" || (k === "partisanA" && camp[u] === "A") || (k === "partisanB" && camp[u] === "B");
    const x = rand();
    const value = x < 0.1 ? 0.5 : rand() < (suits ? 0.85 : 0.15) ? 1 : 0;
    ratings.push({ rater: `u${u}`, item: `i${i}`, value });
  }
  return { ratings, kinds };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

async function main() {
  const t0 = performance.now();
  const { ratings, kinds } = population();
  const genMs = performance.now() - t0;

  // Warm-up, then timed fits.
  fitModel(ratings, MODEL_PARAMS);
  const times: number[] = [];
  const heaps: number[] = [];
  let fit = fitModel(ratings, MODEL_PARAMS);
  for (let r = 0; r < cfg.repeat; r++) {
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const s = performance.now();
    fit = fitModel(ratings, MODEL_PARAMS);
    times.push(performance.now() - s);
    heaps.push(process.memoryUsage().heapUsed - heapBefore);
  }
  const rssAfterFit = process.memoryUsage().rss;
  const byKind: Record<Kind, { n: number; helpful: number; needs: number }> = {
    partisanA: { n: 0, helpful: 0, needs: 0 },
    partisanB: { n: 0, helpful: 0, needs: 0 },
    bridging: { n: 0, helpful: 0, needs: 0 },
    bad: { n: 0, helpful: 0, needs: 0 },
  };
  for (const s of fit.items) {
    const k = kinds[Number(s.item.slice(1))]!;
    const st = statusFor(s, THRESHOLDS);
    byKind[k].n++;
    if (st === "HELPFUL") byKind[k].helpful++;
    if (st === "NEEDS_MORE_RATINGS") byKind[k].needs++;
  }
  console.log(`[bench] fit: median ${median(times).toFixed(0)} ms over ${cfg.repeat}, ${fit.iterations} sweeps, converged ${fit.converged}`);

  // The whole job against PostgreSQL.
  let cluster: Cluster | null = null;
  let adminUrl = process.env.BENCH_SCORING_DATABASE_URL;
  if (!adminUrl) {
    cluster = await startCluster(cfg.pgPort);
    adminUrl = `${cluster.serverUrl}/postgres`;
  }
  const job: { seedMs: number; runs: number[]; scored: number; history: number; pg: string } = { seedMs: 0, runs: [], scored: 0, history: 0, pg: "" };
  try {
    await recreateDatabase(adminUrl, DB);
    process.env.DATABASE_URL = databaseUrl(adminUrl, DB);
    job.pg = await serverVersion(process.env.DATABASE_URL);
    const { closeDb } = await import("@/lib/db/client");
    const { prepareDatabase } = await import("@/lib/startup");
    const { scoreContributions } = await import("@/lib/ranking/score-contributions");
    try {
      const db = await prepareDatabase(); // migrates and loads content/
      const s = performance.now();
      const [para] = await db.$queryRaw<{ id: string; versionId: string; articleId: string; anchorId: string }[]>`
        SELECT p.id::text, p."versionId"::text, v."articleId"::text, p."anchorId" FROM "Paragraph" p JOIN "ArticleVersion" v ON v.id = p."versionId" LIMIT 1`;
      if (!para) throw new Error("no paragraph loaded");
      await db.$executeRaw`
        INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
        SELECT gen_random_uuid(), 'bench-' || g || '@bench.invalid', 'Rater ' || g, 'x', now() FROM generate_series(0, ${cfg.raters}) g`;
      await db.$executeRaw`
        INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
        SELECT gen_random_uuid(), 'COUNTERPOINT', 'Item ' || g, ${para.articleId}::uuid, ${para.versionId}::uuid, ${para.id}::uuid, ${para.anchorId}, 'x', '', '', 0, 1,
               (SELECT id FROM "User" WHERE email = 'bench-' || ${cfg.raters} || '@bench.invalid'), now()
        FROM generate_series(0, ${cfg.items - 1}) g`;
      // Map the synthetic ids to rows, then insert the ratings in one statement.
      const users = await db.$queryRaw<{ id: string; email: string }[]>`SELECT id::text, email FROM "User" WHERE email LIKE 'bench-%'`;
      const items = await db.$queryRaw<{ id: string; body: string }[]>`SELECT id::text, body FROM "Contribution" WHERE body LIKE 'Item %'`;
      const userOf = new Map(users.map((u) => [`u${u.email.slice(6, u.email.indexOf("@"))}`, u.id]));
      const itemOf = new Map(items.map((i) => [`i${i.body.slice(5)}`, i.id]));
      const toValue = (v: number) => (v === 1 ? "HELPFUL" : v === 0.5 ? "SOMEWHAT_HELPFUL" : "NOT_HELPFUL");
      await db.$executeRaw`
        INSERT INTO "Rating" (id, "contributionId", "raterId", value, "updatedAt")
        SELECT gen_random_uuid(), c, r, v::"RatingValue", now()
        FROM unnest(${ratings.map((r) => itemOf.get(r.item)!)}::uuid[], ${ratings.map((r) => userOf.get(r.rater)!)}::uuid[], ${ratings.map((r) => toValue(r.value))}::text[]) AS t(c, r, v)`;
      await db.$executeRawUnsafe(`VACUUM ANALYZE "Rating"`);
      job.seedMs = performance.now() - s;
      for (let r = 0; r < cfg.repeat; r++) {
        const run = await scoreContributions("operator");
        if (!run) throw new Error("the scoring lock was taken");
        job.runs.push(run.durationMs);
        job.scored = run.itemsScored;
      }
      job.history = await db.contributionScoreHistory.count();
    } finally {
      await closeDb();
    }
  } finally {
    await dropDatabase(adminUrl, DB).catch(() => undefined);
    cluster?.stop();
  }
  const rssPeak = process.resourceUsage().maxRSS * 1024;
  console.log(`[bench] job: median ${median(job.runs)} ms over ${cfg.repeat} runs, ${job.scored} scored`);

  const pct = (a: number, b: number) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)} %`);
  const md = `
- Command: \`npm run bench:scoring\` on ${os.cpus()[0]?.model ?? "?"} (${os.cpus().length} cores, shared), Node ${process.version}, PostgreSQL ${job.pg}; ${new Date().toISOString().slice(0, 10)}.
- Data: ${cfg.ratings.toLocaleString("en")} ratings by ${cfg.raters.toLocaleString("en")} raters over ${cfg.items.toLocaleString("en")} items (seed ${cfg.seed}; generated in ${genMs.toFixed(0)} ms).
- Parameters: λ_intercept ${MODEL_PARAMS.lambdaIntercept}, λ_factor ${MODEL_PARAMS.lambdaFactor}, raters with ≥ ${MODEL_PARAMS.minRaterRatings} ratings, tolerance ${MODEL_PARAMS.tolerance}, at most ${MODEL_PARAMS.maxIterations} sweeps.

| Measure | Value |
| --- | --- |
| Fit, median of ${cfg.repeat} (after a warm-up) | ${median(times).toFixed(0)} ms (all: ${times.map((t) => t.toFixed(0)).join(", ")}) |
| Sweeps, converged | ${fit.iterations}, ${fit.converged ? "yes" : "no"} |
| Heap growth during a fit | ${mb(median(heaps))} MB |
| RSS after the fits | ${mb(rssAfterFit)} MB |
| Raters in the fit / left out | ${fit.ratersFitted.toLocaleString("en")} / ${fit.ratersExcluded.toLocaleString("en")} |
| Whole job (read, fit, write ${job.scored.toLocaleString("en")} scores + history), median of ${cfg.repeat} | ${median(job.runs)} ms (all: ${job.runs.join(", ")}) |
| History rows after ${cfg.repeat} runs | ${job.history.toLocaleString("en")} |
| Peak RSS of the process | ${mb(rssPeak)} MB |

What the fit finds (statuses by the kind of item the population made):

| Items | Count | Helpful across perspectives | Needs more ratings |
| --- | --- | --- | --- |
${(Object.keys(byKind) as Kind[]).map((k) => `| ${k} | ${byKind[k].n} | ${byKind[k].helpful} (${pct(byKind[k].helpful, byKind[k].n)}) | ${byKind[k].needs} |`).join("\n")}
`;
  console.log(md);
  const file = process.env.BENCH_PERF_MD ?? path.join(process.cwd(), "docs", "perf.md");
  if (file !== "-") {
    writeMarkedSection(file, md, {
      start: "<!-- bench:scoring:start (written by `npm run bench:scoring`; edits inside are overwritten) -->",
      end: "<!-- bench:scoring:end -->",
      heading: "## Ranking: scoring 100,000 ratings",
    });
  }
}

await main();
