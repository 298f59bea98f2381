import type { Figures } from "../measure";
import { writeMarkedSection } from "../report";
import type { ExplainResult } from "./explain";
import type { AuthedScenarioFigures } from "./http";
import type { ModerationSeedResult } from "./seed";

/** The moderation benchmark's section of docs/perf.md, between its own markers. */

export const START = "<!-- bench:moderation:start (written by `npm run bench:moderation`; edits inside are overwritten) -->";
export const END = "<!-- bench:moderation:end -->";

export interface BulkRun {
  run: number;
  items: number;
  ms: number;
  status: number;
  queueBefore: number;
  toppedUp: number;
  /** Database checks after the request. */
  published: number;
  logRows: number;
  logDelta: number;
  publishedDelta: number;
  pendingDelta: number;
  ok: boolean;
  /** For a failed request: whether nothing was applied, and the server's error. */
  atomic?: boolean;
  error?: string;
  /** The queue readers running meanwhile (bulk under load only). */
  background?: { requests: number; rps: number; p95: number };
}

export interface StaleRun {
  run: number;
  items: number;
  ms: number;
  status: number;
  code: string;
  staleReported: number;
  /** Rows of the 500 whose status/version/queue time changed (expected 0). */
  changedRows: number;
  logDelta: number;
  ok: boolean;
}

export interface DecideProfile {
  items: number;
  ok: boolean;
  error: string | null;
  ms: number;
  statements: number;
  byKind: { kind: string; count: number; ms: number }[];
}

export interface PageFigures extends AuthedScenarioFigures {
  bytes: number;
  gzipBytes: number;
  /** Inline <script> content (mostly the RSC payload, i.e. the page's data again for hydration). */
  inlineScriptBytes: number;
}

export interface ModerationReport {
  date: string;
  command: string;
  /** The patch applied to the copy (an experiment, not the code), or null. */
  experiment: string | null;
  commit: string;
  appDir: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    postgres: string;
    next: string;
    load: { before: number; min: number; mean: number; max: number; after: number; samples: number };
  };
  data: ModerationSeedResult & { pendingTarget: number; spreadDays: number };
  load: { connections: number; duration: number; sequentialRequests: number; warmupSeconds: number };
  deepPosition: number;
  queue: AuthedScenarioFigures[];
  page: PageFigures | null;
  pageNote: string | null;
  bulk: BulkRun[];
  bulkLoaded: BulkRun[];
  stale: StaleRun[];
  decideProfile: DecideProfile | null;
  /** expectIndex: the main statement should walk the queue index (not so for a flag-reason filter). */
  explain: { label: string; query: string; items: number; expectIndex: boolean; plans: ExplainResult[] }[];
  queueIndex: string;
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const cpu = (v: number | null | undefined) => (v == null ? "n/a" : v.toFixed(v < 10 ? 2 : 1));
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function bulkTable(runs: BulkRun[]): string[] {
  return [
    "| Run | items | HTTP | time ms | queue before | published (of 500) | ModerationLog rows for them | log Δ | published Δ | pending Δ | checks |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...runs.map(
      (b) =>
        `| ${b.run} | ${b.items} | ${b.status} | ${ms(b.ms)} | ${int(b.queueBefore)}${b.toppedUp ? ` (+${b.toppedUp} topped up)` : ""} | ${b.published} | ${b.logRows} | ${b.logDelta} | ${b.publishedDelta} | ${b.pendingDelta} | ${b.ok ? "ok" : b.status !== 200 ? `**request failed**; nothing applied: ${b.atomic ? "yes" : "**NO**"}` : "**FAILED**"} |`,
    ),
  ];
}

function errors(runs: BulkRun[]): string[] {
  // The same error with a different elapsed time is one error.
  const counts = new Map<string, number>();
  for (const b of runs) {
    if (b.ok || !b.error) continue;
    const e = b.error.replace(/however \d+ ms passed/, "however N ms passed").replace(/`/g, "'");
    counts.set(e, (counts.get(e) ?? 0) + 1);
  }
  return [...counts].map(([e, n]) => `- Server error (${n} of ${runs.length} runs): \`${e}\``);
}

function row(label: string, s: AuthedScenarioFigures): string {
  const q: Figures = s.sequential;
  const l: Figures = s.loaded;
  return `| ${label} | ${ms(q.p50)} | ${ms(q.p95)} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${int(l.rps)} | ${int(l.requests)} | ${int(l.bytes)} | ${cpu(s.cpu?.server)} | ${cpu(s.cpu?.postgres)} |`;
}

export function verdicts(r: ModerationReport) {
  const main = r.explain.filter((e) => e.expectIndex).map((e) => ({ label: e.label, plan: e.plans.find((p) => p.table === "Contribution") }));
  return {
    bulkOk: r.bulk.length > 0 && r.bulk.every((b) => b.ok),
    staleOk: r.stale.length > 0 && r.stale.every((s) => s.ok),
    indexOk: main.every((m) => m.plan && m.plan.indexes.includes(r.queueIndex) && !m.plan.seqScans.includes("Contribution")),
  };
}

export function renderMarkdown(r: ModerationReport): string {
  const m = r.machine;
  const v = verdicts(r);
  const okText = (ok: boolean) => (ok ? "**yes**" : "**NO**");
  const lines: string[] = [
    `### Latest run — ${r.date}`,
    "",
    ...(r.experiment ? [`- **Experiment, not the code:** \`${r.experiment}\` applied to the copy before the build.`] : []),
    `- Command: \`${r.command}\` (commit \`${r.commit}\`; server built and run from a copy in \`${r.appDir}\`)`,
    `- Machine: ${m.cores} × ${m.cpu} (nproc ${m.cores}), ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres} (default settings); Next.js ${m.next} (\`scripts/server.mjs\`, production build)`,
    `- Load average (1 min) on the machine: ${m.load.before.toFixed(2)} before measuring; during the run min ${m.load.min.toFixed(2)}, mean ${m.load.mean.toFixed(2)}, max ${m.load.max.toFixed(2)} (${m.load.samples} samples); ${m.load.after.toFixed(2)} after — ${m.cores} CPUs shared by the server, PostgreSQL, the load generator and whatever else runs`,
    `- Data: ${int(r.data.pending)} PENDING contributions in the queue (queued over the last ${r.data.spreadDays} days; a fifth of them re-queued edits), ${int(r.data.flagged)} flagged published ones (${int(r.data.openFlags)} open flags, \`openFlagCount\` 1–2), ${int(r.data.appealed)} hidden with an open appeal — ${int(r.data.queued)} queued in all — plus ${int(r.data.published)} published contributions outside the queue and ${int(r.data.history)} earlier ModerationLog rows; ${int(r.data.authors)} authors; ${r.data.paragraphs} paragraphs; seeded in ${r.data.seconds.toFixed(1)} s. Before every bulk run the queue is topped up to ${int(r.data.pendingTarget)} pending.`,
    `- Client: a MODERATOR account created with \`scripts/create-user.mts\`, signed in through next-auth's credentials endpoint; every request carries its session cookie. Sequential = 1 client, ${r.load.sequentialRequests} requests; loaded = ${r.load.connections} concurrent clients for ${r.load.duration} s (autocannon, keep-alive, no compression); each preceded by a ${r.load.warmupSeconds} s warm-up that is not counted.`,
    "",
    "#### Queue reads",
    "",
    "| Request | seq. p50 ms | seq. p95 ms | loaded p50 ms | loaded p95 ms | loaded p99 ms | loaded req/s | loaded requests | bytes/response | server CPU ms/req | PostgreSQL CPU ms/req |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.queue.map((s) => row(`${s.name} \`${s.path.length > 60 ? `${s.path.slice(0, 50)}…` : s.path}\``, s)),
    ...(r.page ? [row(`Queue page HTML \`${r.page.path}\``, r.page)] : []),
    "",
  ];
  if (r.page) lines.push(`- Queue page \`/admin\`: ${int(r.page.bytes)} bytes of HTML (${kb(r.page.bytes)}), ${int(r.page.gzipBytes)} bytes gzip-compressed, of which ${int(r.page.inlineScriptBytes)} bytes (${Math.round((100 * r.page.inlineScriptBytes) / r.page.bytes)} %) inline scripts (the RSC payload); 25 items per page.`);
  if (r.pageNote) lines.push(`- ${r.pageNote}`);
  lines.push(
    `- Deep page: the cursor of the ${int(r.deepPosition)}th item in queue order (oldest first), i.e. the page a moderator reaches after ${int(r.deepPosition / 25)} pages.`,
    "- CPU ms/req: CPU time of the server's process group and of the cluster's PostgreSQL processes during the loaded run, divided by the requests answered (steadier than latency on a busy machine).",
    "",
    "#### Bulk decision: PUBLISH 500 pending contributions in one request",
    "",
    ...bulkTable(r.bulk),
    "",
  );
  const all = r.bulk.map((b) => b.ms);
  const good = r.bulk.filter((b) => b.ok).map((b) => b.ms);
  lines.push(
    `- Median of all ${all.length} runs: **${ms(median(all))} ms** (min ${ms(Math.min(...all))}, max ${ms(Math.max(...all))})${good.length !== all.length ? `; ${good.length} of ${all.length} succeeded${good.length ? ` (median of those ${ms(median(good))} ms)` : ""}` : ""}. Time = client-side, from sending \`POST /api/admin/decisions\` to the last byte of the answer. Items: the 500 oldest pending, as \`GET /api/admin/queue?status=PENDING&limit=100\` lists them (5 pages), with the version it shows.`,
    `- Checked in the database after each run: exactly 500 of the items PUBLISHED, version +1, out of the queue; exactly 500 PUBLISH rows in ModerationLog for them by the moderator, and the log grew by exactly 500 — ${okText(v.bulkOk)}.`,
    ...errors(r.bulk),
    "",
  );
  if (r.bulkLoaded.length) {
    const l = r.bulkLoaded.map((b) => b.ms);
    const bg = r.bulkLoaded.map((b) => b.background).filter((x): x is NonNullable<typeof x> => !!x);
    lines.push(
      `#### The same bulk decision while ${r.load.connections} clients read the queue`,
      "",
      ...bulkTable(r.bulkLoaded),
      "",
      `- ${r.bulkLoaded.filter((b) => b.ok).length} of ${r.bulkLoaded.length} succeeded; median ${ms(median(l))} ms (min ${ms(Math.min(...l))}, max ${ms(Math.max(...l))}). Meanwhile ${r.load.connections} clients requested the queue's first page${bg.length ? ` (${int(median(bg.map((x) => x.rps)))} req/s, p95 ${ms(median(bg.map((x) => x.p95)))} ms, medians over the runs)` : ""}, starting 1 s before the POST and stopped when it answered.`,
      `- A failed request must apply nothing (the transaction rolls back): ${okText(r.bulkLoaded.every((b) => b.ok || b.atomic))}.`,
      ...errors(r.bulkLoaded),
      "",
    );
  }
  lines.push(
    "#### Bulk decision with one stale item (500 items; one changed after the list was loaded)",
    "",
    "| Run | items | HTTP | error code | stale items reported | time ms | rows changed (of 500) | log Δ | checks |",
    "|---:|---:|---:|---|---:|---:|---:|---:|---|",
    ...r.stale.map(
      (s) => `| ${s.run} | ${s.items} | ${s.status} | ${s.code} | ${s.staleReported} | ${ms(s.ms)} | ${s.changedRows} | ${s.logDelta} | ${s.ok ? "ok" : "**FAILED**"} |`,
    ),
    "",
    `- Median: **${ms(median(r.stale.map((s) => s.ms)))} ms**. The stale item: its \`version\` bumped in the database just before the request (what an author's edit does), the request sending the version the list showed. Expected 409 with that one item in \`current\`, and nothing applied: every one of the 500 rows unchanged, no ModerationLog row — ${okText(v.staleOk)}.`,
    "",
  );
  if (r.decideProfile) {
    const p = r.decideProfile;
    lines.push(
      "#### Where the bulk decision's time goes",
      "",
      `\`decide()\` run in the benchmark process (same code, same Prisma client and adapter, no HTTP) on ${p.items} further pending items: ${ms(p.ms)} ms, **${int(p.statements)} SQL statements** in one interactive transaction${p.ok ? "" : ` — and it **failed**: \`${(p.error ?? "").replace(/`/g, "'")}\` (statements counted up to the failure)`}:`,
      "",
      "| Statement | count | Prisma-reported ms (sum) |",
      "|---|---:|---:|",
      ...p.byKind.map((k) => `| ${k.kind} | ${int(k.count)} | ${ms(k.ms)} |`),
      "",
    );
  }
  lines.push(
    "#### Query plans of the queue (EXPLAIN (ANALYZE, BUFFERS) of the SQL Prisma sends)",
    "",
    `The statements were captured from the app's own \`listQueue()\` through Prisma's query events and explained with the same parameters. For the first page, the kind filter and the deep page the main statement (\`Contribution\`) walks \`${r.queueIndex}\` in queue order, with no sequential scan of Contribution: ${okText(v.indexOk)}. (With a flag-reason filter PostgreSQL rightly starts from the few matching flags instead.)`,
    "",
    "| Request | statement | plan shape | scans | execution ms | shared buffers hit/read |",
    "|---|---|---|---|---:|---:|",
  );
  for (const e of r.explain) {
    for (const p of e.plans) {
      lines.push(`| ${e.label} | ${p.table} | ${p.shape} | ${p.scans.join("; ")} | ${ms(p.executionMs)} | ${int(p.sharedHit)}/${int(p.sharedRead)} |`);
    }
  }
  for (const e of r.explain) {
    const main = e.plans.find((p) => p.table === "Contribution");
    if (!main) continue;
    lines.push("", `<details><summary>${e.label} — the Contribution statement's plan</summary>`, "", "```", main.text, "```", "", "</details>");
  }
  lines.push("");
  return lines.join("\n");
}

/** Replaces the section between the markers, or appends it under a heading. */
export function writeSection(file: string, markdown: string, heading = "## Moderation: queue and bulk decisions"): void {
  writeMarkedSection(file, markdown, { start: START, end: END, heading });
}
