// npm run bench:search — full-text search of 1,000,000 contributions (lib/search, ADR 0037) on a
// throwaway PostgreSQL (or BENCH_DATABASE_URL: a database `bench_search` is recreated there, then dropped).
// 1. Migrates up to the search migration and seeds the contributions set-based (bodies of 12-40 words
//    from bench/lib/words.ts; 5 % replies; 2 % hidden, 1 % pending, 1 % deleted; a word in 1 % of rows,
//    another in 0.01 %), then times 20261203150000_contribution_search itself (the table rewrite that
//    fills the generated column, and the GIN index build).
// 2. Times searchContributions (first page and the next) and the queue's `q` filter, median of
//    BENCH_SEARCH_REPEAT, for a rare word, an uncommon one, a common one and a phrase, and prints the
//    plan of the rare and common queries (EXPLAIN ANALYZE). Writes its section of docs/perf.md.
//
// Knobs: BENCH_SEARCH_ROWS (1000000), BENCH_SEARCH_REPEAT (5), BENCH_SEARCH_PG_PORT (56437),
// BENCH_DATABASE_URL, BENCH_PERF_MD (docs/perf.md; "-" writes none), BENCH_SEARCH_KEEP (keep the database).
import os from "node:os";
import path from "node:path";
import { cleanupStack } from "./lib/cleanup";
import { writeMarkedSection } from "./lib/report";
import { databaseUrl, dropDatabase, recreateDatabase, serverVersion, startCluster } from "./lib/postgres";
import { WORDS } from "./lib/words";

const rows = Number(process.env.BENCH_SEARCH_ROWS ?? 1_000_000);
const repeat = Number(process.env.BENCH_SEARCH_REPEAT ?? 5);
const port = Number(process.env.BENCH_SEARCH_PG_PORT ?? 56437);
const perfMd = process.env.BENCH_PERF_MD ?? path.join(process.cwd(), "docs", "perf.md");
const SEARCH = "20261203150000_contribution_search";
const { onCleanup, cleanup } = cleanupStack("bench:search");

/** A deterministic, valid (version 4) uuid for row `expr`, so a reply can name the row before it. */
const rowId = (expr: string) => `(substr(md5((${expr})::text), 1, 12) || '4' || substr(md5((${expr})::text), 14, 3) || '8' || substr(md5((${expr})::text), 18))::uuid`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function main() {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const cluster = await startCluster(port);
    onCleanup("postgres", () => cluster.stop());
    serverUrl = `${cluster.serverUrl}/postgres`;
  }
  const pgVersion = await serverVersion(serverUrl);
  await recreateDatabase(serverUrl, "bench_search");
  if (!process.env.BENCH_SEARCH_KEEP) onCleanup("database", () => dropDatabase(serverUrl!, "bench_search"));
  process.env.DATABASE_URL = databaseUrl(serverUrl, "bench_search");
  // Imported only now: the app reads DATABASE_URL once.
  const { closeDb, getDb, withSql } = await import("@/lib/db/client");
  onCleanup("db", () => closeDb());
  const { migrate, readMigrations } = await import("@/lib/db/migrate");
  const { Prisma } = await import("@/lib/generated/prisma/client");
  const { queryRanked, searchContributions, rankedKeysSql } = await import("@/lib/search/search-contributions");
  const { listQueue } = await import("@/lib/moderation/list-queue");
  const { queueQuerySchema } = await import("@/lib/moderation/schemas");
  const { searchQuerySchema } = await import("@/lib/search/schemas");

  const all = await readMigrations();
  const [seedSeconds, migrationMs] = await withSql(async (conn) => {
    await migrate(conn, all.filter((m) => m.name < SEARCH));
    const t0 = performance.now();
    await conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES
      ('00000000-0000-4000-8000-000000000001', 'bench@test.invalid', 'Bench', 'x', 'READER', now()),
      ('00000000-0000-4000-8000-000000000002', 'mod@test.invalid', 'Mod', 'x', 'MODERATOR', now())`);
    await conn.query(`INSERT INTO "Article" (id, slug) VALUES ('00000000-0000-4000-8000-0000000000a1', 'bench')`);
    await conn.query(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter)
      VALUES ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a1', 1, 'h', 'Bench', '{}')`);
    await conn.query(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(p), 12, '0'))::uuid, '00000000-0000-4000-8000-0000000000b1', p, 'p-' || p, 'Paragraph ' || p
      FROM generate_series(0, 39) p`);
    await conn.query(
      `INSERT INTO "Contribution" (id, kind, status, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix",
         "quoteSuffix", "startOffset", "endOffset", "authorId", "parentId", "rootId", depth, "createdAt", "updatedAt", "deletedAt", "queuedAt")
       SELECT ${rowId("i")},
              (ARRAY['ANNOTATION','COUNTERPOINT','SOURCE']::"ContributionKind"[])[1 + i % 3],
              (CASE WHEN i % 100 < 2 THEN 'HIDDEN' WHEN i % 100 = 2 THEN 'PENDING' ELSE 'PUBLISHED' END)::"ContributionStatus",
              (SELECT string_agg(($1::text[])[1 + floor(random() * array_length($1::text[], 1))::int], ' ') FROM generate_series(1, 12 + (i * 7) % 29) g)
                || CASE WHEN i % 100 = 50 THEN ' oligarchs' ELSE '' END || CASE WHEN i % 10000 = 5000 THEN ' needle' ELSE '' END,
              '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b1',
              ('00000000-0000-4000-8000-' || lpad(to_hex(i % 40), 12, '0'))::uuid, 'p-' || (i % 40), 'x', '', '', 0, 1,
              '00000000-0000-4000-8000-000000000001',
              CASE WHEN i % 20 = 0 THEN ${rowId("i - 1")} END, CASE WHEN i % 20 = 0 THEN ${rowId("i - 1")} END,
              CASE WHEN i % 20 = 0 THEN 1 ELSE 0 END,
              now() - (i || ' seconds')::interval, now(), CASE WHEN i % 100 = 3 THEN now() END,
              CASE WHEN i % 100 IN (1, 2) THEN now() - (i || ' seconds')::interval END
       FROM generate_series(1, $2::int) i`,
      [WORDS, rows],
    );
    const seeded = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await migrate(conn, all);
    const migrated = performance.now() - t1;
    await conn.query(`VACUUM ANALYZE "Contribution"`);
    return [seeded, migrated] as const;
  });
  console.log(`[bench:search] seeded ${rows} in ${seedSeconds.toFixed(0)} s; migration ${(migrationMs / 1000).toFixed(1)} s`);

  const db = await getDb();
  const counts = async (q: string) =>
    Number((await db.$queryRaw<[{ n: number }]>`SELECT count(*)::int AS n FROM "Contribution" c WHERE c.search @@ websearch_to_tsquery('english', ${q})`)[0].n);
  const moderator = { id: "00000000-0000-4000-8000-000000000002", name: "Mod", role: "MODERATOR" as const };
  const cases = [
    ["rare word (0.01 %)", "needle"],
    ["uncommon word (1 %)", "oligarch"],
    ["phrase", '"base rate"'],
    ["common word", "sanctions"],
    ["two common words", "sanctions exiles"],
  ] as const;
  const lines: string[] = [];
  for (const [label, q] of cases) {
    const matches = await counts(q);
    const first: number[] = [];
    const next: number[] = [];
    const queue: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const [t, page] = await time(() => searchContributions({ ...searchQuerySchema.parse({ q }), viewerId: null }));
      first.push(t);
      if (page.nextCursor) next.push((await time(() => searchContributions({ ...searchQuerySchema.parse({ q, cursor: page.nextCursor }), viewerId: null })))[0]);
      queue.push((await time(() => listQueue(moderator, queueQuerySchema.parse({ q }))))[0]);
    }
    lines.push(`| ${label} \`${q}\` | ${matches.toLocaleString("en")} | ${ms(median(first))} | ${next.length ? ms(median(next)) : "—"} | ${ms(median(queue))} |`);
    console.log(lines[lines.length - 1]);
  }
  const plan = async (q: string) =>
    (await queryRanked<{ "QUERY PLAN": string }>(db, Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${rankedKeysSql({ q, viewerId: null, limit: 21 })}`))
      .map((r) => r["QUERY PLAN"])
      .join("\n");
  const rarePlan = await plan("needle");
  const commonPlan = await plan("sanctions");

  const md = [
    `### Latest run — ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    "",
    `${rows.toLocaleString("en")} contributions, PostgreSQL ${pgVersion}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), median of ${repeat}.`,
    `Seeding took ${seedSeconds.toFixed(0)} s; **the migration** (adding the stored generated column rewrites the table, then the GIN index is built) **took ${(migrationMs / 1000).toFixed(1)} s**, under an ACCESS EXCLUSIVE lock on "Contribution".`,
    "",
    "| Words | Matching rows | First page (20) | Next page | Queue `q` (25) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...lines,
    "",
    "Plan of the rare word (`rankedKeysSql`, anonymous reader):",
    "",
    "```",
    rarePlan,
    "```",
    "",
    "Plan of the common word:",
    "",
    "```",
    commonPlan,
    "```",
    "",
  ].join("\n");
  console.log(md);
  if (perfMd !== "-") {
    writeMarkedSection(perfMd, md, {
      start: "<!-- bench:search:start (written by `npm run bench:search`; edits inside are overwritten) -->",
      end: "<!-- bench:search:end -->",
      heading: "## Full-text search at scale",
    });
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
