import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Figures, ScenarioFigures } from "./measure";

/** Renders the benchmark's results as markdown and writes them between markers in docs/perf.md. */

export const START = "<!-- bench:results:start (written by `npm run bench`; edits inside are overwritten) -->";
export const END = "<!-- bench:results:end -->";

export type ScenarioKey = "staticRef" | "home" | "page" | "list" | "listNewest" | "listSignedIn" | "replies" | "thread" | "orphans";

/** The discussion API's read paths, each held to the same target against the home page. */
const API: { key: ScenarioKey; label: string }[] = [
  { key: "list", label: "Paragraph list (default order: most helpful once rated)" },
  { key: "listNewest", label: "Paragraph list, newest first" },
  { key: "listSignedIn", label: "Paragraph list, signed in (own ratings, reports, distributions)" },
  { key: "replies", label: "Replies of the busiest threads" },
  { key: "thread", label: "A deep reply with its thread above it (a shared link)" },
  { key: "orphans", label: "On earlier versions (orphans)" },
];
const LABELS: Record<ScenarioKey, string> = {
  staticRef: "Static copy of the article page's HTML",
  home: "Home page (dynamic, one small query: the framework's floor)",
  page: "Article page",
  ...(Object.fromEntries(API.map((a) => [a.key, a.label])) as Record<Exclude<ScenarioKey, "staticRef" | "home" | "page">, string>),
};

export interface TwoInstanceFigures {
  rps: number;
  p95: number;
  cpuServer: number | null;
}
export interface TwoInstances {
  page: TwoInstanceFigures;
  list: TwoInstanceFigures;
}

export interface SizeReport {
  data: {
    contributions: number;
    published: number;
    paragraphs: number;
    authors: number;
    hottest: number;
    replies: number;
    busiestThread: number;
    ratings: number;
    scored: number;
    orphans: number;
    seedSeconds: number;
  };
  loadBefore: number;
  loadAfter: number;
  html: { bytes: number; gzipBytes: number };
  scenarios: Record<ScenarioKey, ScenarioFigures>;
  urls: Record<ScenarioKey, string>;
  twoInstances: TwoInstances | null;
}

export interface Report {
  date: string;
  command: string;
  commit: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; postgres: string; next: string };
  slug: string;
  /** Whether the article has the bench's revision (and so orphans). */
  revised: boolean;
  load: { connections: number; duration: number; sequentialRequests: number; warmupSeconds: number };
  sizes: SizeReport[];
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const x = (v: number) => `${v.toFixed(2)}×`;
const cpuText = (v: number | null | undefined) => (v == null ? "n/a" : v.toFixed(v < 10 ? 2 : 1));
const okText = (ok: boolean) => (ok ? "**met**" : "**missed**");

function row(label: string, s: ScenarioFigures): string {
  const q = s.sequential;
  const l: Figures = s.loaded;
  return `| ${label} | ${ms(q.p50)} | ${ms(q.p95)} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${int(l.rps)} | ${int(l.requests)} | ${cpuText(s.cpu?.server)} | ${cpuText(s.cpu?.postgres)} |`;
}

/** Server + PostgreSQL CPU milliseconds per request (null off Linux). */
const cpuTotal = (s: ScenarioFigures) => (s.cpu ? s.cpu.server + (s.cpu.postgres ?? 0) : null);

export interface Verdict {
  target: string;
  size: number | null;
  value: string;
  ok: boolean;
}

/** Issue 11's targets, each a ratio within one run (so they hold on a noisy machine). */
export function verdicts(r: Report): Verdict[] {
  const out: Verdict[] = [];
  for (const z of r.sizes) {
    const s = z.scenarios;
    const n = z.data.contributions;
    const p95 = s.page.loaded.p95 / s.staticRef.loaded.p95;
    out.push({ target: "Article page p95 under 20 clients ≤ 1.5× the static copy's", size: n, value: x(p95), ok: p95 <= 1.5 });
    const pc = cpuTotal(s.page);
    const sc = cpuTotal(s.staticRef);
    if (pc !== null && sc !== null && sc > 0) {
      out.push({ target: "Article page CPU per request (server + PostgreSQL) ≤ 2× the static copy's", size: n, value: x(pc / sc), ok: pc / sc <= 2 });
    }
    for (const a of API) {
      const ratio = s[a.key].loaded.rps / s.home.loaded.rps;
      out.push({ target: `${a.label}: requests/s ≥ 0.5× the home page's`, size: n, value: x(ratio), ok: ratio >= 0.5 });
    }
    out.push({ target: "Article page HTML under 200 KB", size: n, value: kb(z.html.bytes), ok: z.html.bytes < 200 * 1024 });
  }
  const [first, last] = [r.sizes[0], r.sizes[r.sizes.length - 1]];
  if (first && last && first !== last) {
    for (const f of flatness(first, last)) {
      out.push({ target: `Flat from ${int(first.data.contributions)} to ${int(last.data.contributions)}: ${f.label} within 1.2×`, size: null, value: x(f.ratio), ok: f.ratio <= 1.2 });
    }
  }
  return out;
}

/**
 * How much worse each endpoint is at the larger size, measured against its floor in the same
 * server run (the article page's p95 over the static copy's; an API's requests/s as a share of
 * the home page's), so that a busier machine during one of the runs does not read as growth.
 */
function flatness(a: SizeReport, b: SizeReport): { label: string; ratio: number; raw: number }[] {
  const page = (z: SizeReport) => z.scenarios.page.loaded.p95 / z.scenarios.staticRef.loaded.p95;
  const share = (z: SizeReport, k: ScenarioKey) => z.scenarios[k].loaded.rps / z.scenarios.home.loaded.rps;
  return [
    { label: "article page (p95 over the static copy's)", ratio: page(b) / page(a), raw: b.scenarios.page.loaded.p95 / a.scenarios.page.loaded.p95 },
    ...API.map((k) => ({
      label: `${k.label} (requests/s as a share of the home page's)`,
      ratio: share(a, k.key) / share(b, k.key),
      raw: a.scenarios[k.key].loaded.rps / b.scenarios[k.key].loaded.rps,
    })),
  ];
}

export function renderMarkdown(r: Report): string {
  const m = r.machine;
  const v = verdicts(r);
  const lines: string[] = [
    `### Latest run — ${r.date}`,
    "",
    `- Command: \`${r.command}\` (commit \`${r.commit}\`)`,
    `- Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres} (default settings); Next.js ${m.next} (\`scripts/server.mjs\`, production build)`,
    `- Article: \`${r.slug}\`${r.revised ? ", with the bench's revision published (version 2), so some contributions are orphans of version 1" : ""}`,
    `- Load: sequential = 1 client, ${r.load.sequentialRequests} requests; loaded = ${r.load.connections} concurrent clients for ${r.load.duration} s (autocannon, keep-alive, no compression); each preceded by a ${r.load.warmupSeconds} s warm-up that is not counted. The server, PostgreSQL and the load generator share the machine's ${m.cores} CPUs.`,
    "",
  ];
  for (const z of r.sizes) {
    const d = z.data;
    lines.push(
      `#### ${int(d.contributions)} contributions`,
      "",
      `- Data: ${int(d.contributions)} contributions (${int(d.published)} published and not deleted) over the ${d.paragraphs} paragraphs, by ${d.authors} authors; hottest paragraph ${int(d.hottest)}; ${int(d.replies)} replies (busiest thread ${int(d.busiestThread)} direct replies); ${int(d.ratings)} ratings, ${int(d.scored)} stored scores; ${int(d.orphans)} orphans; seeded in ${d.seedSeconds.toFixed(1)} s`,
      `- 1-minute load average ${z.loadBefore.toFixed(2)} before measuring, ${z.loadAfter.toFixed(2)} after`,
      "",
      "| Endpoint | seq. p50 ms | seq. p95 ms | loaded p50 ms | loaded p95 ms | loaded p99 ms | loaded req/s | loaded requests | server CPU ms/req | PostgreSQL CPU ms/req |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...(Object.keys(LABELS) as ScenarioKey[]).map((k) => row(`${LABELS[k]} \`${z.urls[k]}\``, z.scenarios[k])),
      "",
      `- Article page HTML: ${int(z.html.bytes)} bytes (${kb(z.html.bytes)}), ${int(z.html.gzipBytes)} bytes gzip-compressed.`,
    );
    if (z.twoInstances) {
      const t = z.twoInstances;
      const one = z.scenarios;
      lines.push(
        `- Two instances on the one database (${Math.floor(r.load.connections / 2)} clients each) against one instance (${r.load.connections} clients): article page ${int(t.page.rps)} vs ${int(one.page.loaded.rps)} requests/s (${x(t.page.rps / one.page.loaded.rps)}; server CPU ${cpuText(t.page.cpuServer)} ms/req), paragraph list ${int(t.list.rps)} vs ${int(one.list.loaded.rps)} requests/s (${x(t.list.rps / one.list.loaded.rps)}; server CPU ${cpuText(t.list.cpuServer)} ms/req).`,
      );
    }
    lines.push("");
  }
  lines.push("#### Targets", "", "| Target | Size | Measured | Verdict |", "|---|---:|---:|---|");
  for (const t of v) lines.push(`| ${t.target} | ${t.size === null ? "—" : int(t.size)} | ${t.value} | ${okText(t.ok)} |`);
  const [first, last] = [r.sizes[0], r.sizes[r.sizes.length - 1]];
  if (first && last && first !== last) {
    lines.push(
      "",
      `Flatness, raw (not normalised by the floor): ${flatness(first, last)
        .map((f) => `${f.label.replace(/ \(.*\)$/, "")} ${x(f.raw)}`)
        .join("; ")} (article page: p95 at ${int(last.data.contributions)} over p95 at ${int(first.data.contributions)}; APIs: requests/s at ${int(first.data.contributions)} over requests/s at ${int(last.data.contributions)}).`,
    );
  }
  lines.push(
    "",
    "- CPU ms/req: CPU time used by the server's process group and by the PostgreSQL processes during the loaded run, divided by the requests answered; steadier than latency when other work competes for the CPUs. The load generator's own CPU is not included.",
    "",
  );
  return lines.join("\n");
}

export interface SectionMarkers {
  start: string;
  end: string;
  /** The heading a new section is appended under. */
  heading: string;
}

/** Replaces the text between a benchmark's markers in docs/perf.md, or appends it under its heading. */
export function writeMarkedSection(file: string, markdown: string, m: SectionMarkers): void {
  const block = `${m.start}\n${markdown}${m.end}`;
  let text: string;
  if (existsSync(file)) {
    const cur = readFileSync(file, "utf8");
    const a = cur.indexOf(m.start);
    const b = cur.indexOf(m.end);
    text = a !== -1 && b > a ? cur.slice(0, a) + block + cur.slice(b + m.end.length) : `${cur.trimEnd()}\n\n${m.heading}\n\n${block}\n`;
  } else {
    mkdirSync(path.dirname(file), { recursive: true });
    text = `# Performance\n\n${m.heading}\n\n${block}\n`;
  }
  writeFileSync(file, text);
}

export function writeSection(file: string, markdown: string): void {
  writeMarkedSection(file, markdown, { start: START, end: END, heading: "## Results" });
}
