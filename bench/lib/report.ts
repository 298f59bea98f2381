import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Figures, ScenarioFigures } from "./measure";

/** Renders the benchmark's results as markdown and writes them between markers in docs/perf.md. */

export const START = "<!-- bench:results:start (written by `npm run bench`; edits inside are overwritten) -->";
export const END = "<!-- bench:results:end -->";

export interface Report {
  date: string;
  command: string;
  commit: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; postgres: string; next: string; loadBefore: number; loadAfter: number };
  data: { slug: string; contributions: number; published: number; paragraphs: number; authors: number; hottest: number; seedSeconds: number };
  load: { connections: number; duration: number; sequentialRequests: number; warmupSeconds: number };
  html: { bytes: number; gzipBytes: number; staticBytes: number };
  scenarios: { page: ScenarioFigures; staticRef: ScenarioFigures; home: ScenarioFigures; list: ScenarioFigures };
  urls: { page: string; staticRef: string; home: string; list: string };
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const int = (n: number) => Math.round(n).toLocaleString("en-US");

function row(label: string, s: ScenarioFigures): string {
  const q = s.sequential;
  const l: Figures = s.loaded;
  const cpu = (v: number | null | undefined) => (v == null ? "n/a" : v.toFixed(v < 10 ? 2 : 1));
  return `| ${label} | ${ms(q.p50)} | ${ms(q.p95)} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${int(l.rps)} | ${int(l.requests)} | ${cpu(s.cpu?.server)} | ${cpu(s.cpu?.postgres)} |`;
}

export function verdicts(r: Report) {
  const { page, staticRef } = r.scenarios;
  return {
    sequentialRatio: page.sequential.p95 / staticRef.sequential.p95,
    loadedRatio: page.loaded.p95 / staticRef.loaded.p95,
    htmlOk: r.html.bytes < 200 * 1024,
  };
}

export function renderMarkdown(r: Report): string {
  const v = verdicts(r);
  const m = r.machine;
  const okText = (ok: boolean) => (ok ? "**met**" : "**missed**");
  return [
    `### Latest run — ${r.date}`,
    "",
    `- Command: \`${r.command}\` (commit \`${r.commit}\`)`,
    `- Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres} (default settings); Next.js ${m.next} (\`next start\`, production build)`,
    `- Data: ${int(r.data.contributions)} contributions (${int(r.data.published)} published and not deleted) over the ${r.data.paragraphs} paragraphs of \`${r.data.slug}\`, by ${r.data.authors} authors; hottest paragraph ${int(r.data.hottest)} contributions; seeded in ${r.data.seedSeconds.toFixed(1)} s`,
    `- Other load on the machine: 1-minute load average ${m.loadBefore.toFixed(2)} before measuring, ${m.loadAfter.toFixed(2)} after (${m.cores} CPUs; the server, PostgreSQL and the load generator share them)`,
    `- Load: sequential = 1 client, ${r.load.sequentialRequests} requests; loaded = ${r.load.connections} concurrent clients for ${r.load.duration} s (autocannon, keep-alive, no compression); each preceded by a ${r.load.warmupSeconds} s warm-up that is not counted`,
    "",
    "| Endpoint | seq. p50 ms | seq. p95 ms | loaded p50 ms | loaded p95 ms | loaded p99 ms | loaded req/s | loaded requests | server CPU ms/req | PostgreSQL CPU ms/req |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    row(`Article page \`${r.urls.page}\``, r.scenarios.page),
    row(`Static copy of that HTML \`${r.urls.staticRef}\``, r.scenarios.staticRef),
    row(`Home page \`${r.urls.home}\` (dynamic, one small query: the framework's floor)`, r.scenarios.home),
    row(`Paragraph list \`${r.urls.list}\``, r.scenarios.list),
    "",
    `- Article page HTML: ${int(r.html.bytes)} bytes (${kb(r.html.bytes)}), ${int(r.html.gzipBytes)} bytes gzip-compressed; the static copy is the same ${int(r.html.staticBytes)} bytes.`,
    `- CPU ms/req: CPU time used by the server's process group and by the PostgreSQL processes during the loaded run, divided by the requests answered; steadier than latency when other work competes for the CPUs. The load generator's own CPU is not included.`,
    `- Target "article page p95 within 2× the static reference": sequential ${v.sequentialRatio.toFixed(1)}× — ${okText(v.sequentialRatio <= 2)}; under ${r.load.connections} clients ${v.loadedRatio.toFixed(1)}× — ${okText(v.loadedRatio <= 2)}.`,
    `- Target "HTML under 200 KB": ${kb(r.html.bytes)} — ${okText(v.htmlOk)}.`,
    "",
  ].join("\n");
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
