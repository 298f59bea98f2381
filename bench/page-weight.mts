// npm run bench:page-weight — what a signed-out reader downloads for the article page (issue 11:
// "keep it under 150 KB gzip; a reader who never opens a discussion should not download the editor").
// Builds if stale (bench/lib/build.ts), starts the production server (scripts/server.mjs) on the embedded database (a throwaway
// PGLITE_DIR, the article loaded at start), fetches the page as a browser without cookies would, then
// every script the HTML loads (<script src>, and the chunks it names for preloading; not the noModule
// polyfills, which no current browser fetches), and sums their
// bytes as served and gzipped (zlib level 6, what a proxy would send). A script counts as "the
// editor" if it holds the contribution form's label. Writes its section of docs/perf.md.
//
// Knobs: BENCH_PORT (3330), BENCH_BUILD (1 always, 0 never), BENCH_PERF_MD (docs/perf.md; "-" writes none),
// BENCH_HTML_OUT (a file to keep the page's HTML in, to compare two builds' pages).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { BUILD_ENV, ensureBuild } from "./lib/build";
import { cleanupStack } from "./lib/cleanup";
import { gitCommit } from "./lib/git";
import { writeMarkedSection } from "./lib/report";
import { startServer } from "./lib/server";

const root = process.cwd();
const port = Number(process.env.BENCH_PORT ?? 3330);
const perfMd = process.env.BENCH_PERF_MD ?? path.join(root, "docs", "perf.md");
const SLUG = "western-hostility-to-russian-exiles-plays-into-putins-hands";
const TARGET_GZIP = 150 * 1024;
/** Text only the contribution form renders (app/_components/discussion/contribution-form.tsx). */
const EDITOR_MARKER = "Add to the discussion";
const log = (line: string) => console.log(`[bench:page-weight] ${line}`);
const { onCleanup, cleanup } = cleanupStack("bench:page-weight");

interface Asset {
  url: string;
  bytes: number;
  gzip: number;
  editor: boolean;
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

async function main() {
  ensureBuild(root, process.env.BENCH_BUILD, { ...process.env, ...BUILD_ENV }, log);
  const pglite = mkdtempSync(path.join(os.tmpdir(), "bench-page-weight-"));
  onCleanup("embedded database", () => rmSync(pglite, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PGLITE_DIR: pglite, NEXTAUTH_SECRET: randomBytes(24).toString("hex"), NEXTAUTH_URL: `http://127.0.0.1:${port}`, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  log(`scripts/server.mjs on 127.0.0.1:${port} (embedded database)`);
  const server = await startServer({ cwd: root, port, env, readyPath: "/" });
  onCleanup("stop the server", () => server.stop());

  const pageUrl = `${server.origin}/articles/${SLUG}`;
  const res = await fetch(pageUrl);
  if (!res.ok) throw new Error(`GET ${pageUrl}: ${res.status}`);
  const html = await res.text();
  if (process.env.BENCH_HTML_OUT) writeFileSync(process.env.BENCH_HTML_OUT, html);
  const srcs = new Set<string>();
  // noModule scripts (the legacy polyfills) are skipped by every browser that runs modules.
  let skipped = 0;
  for (const m of html.matchAll(/<script([^>]*)>/g)) {
    const src = /\ssrc="([^"]+)"/.exec(m[1]!)?.[1];
    if (!src) continue;
    if (/\snomodule/i.test(m[1]!)) skipped++;
    else srcs.add(src);
  }
  // Scripts the page asks the browser to fetch early (<link rel="preload" as="script">).
  for (const m of html.matchAll(/<link[^>]+rel="preload"[^>]+as="script"[^>]*href="([^"]+)"|<link[^>]+href="([^"]+)"[^>]+as="script"/g)) srcs.add((m[1] ?? m[2])!);
  const assets: Asset[] = [];
  for (const src of srcs) {
    const url = new URL(src.replace(/&amp;/g, "&"), server.origin).toString();
    const r = await fetch(url);
    if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
    const body = Buffer.from(await r.arrayBuffer());
    assets.push({ url: new URL(url).pathname, bytes: body.length, gzip: gzipSync(body, { level: 6 }).length, editor: body.includes(EDITOR_MARKER) });
  }
  assets.sort((a, b) => b.gzip - a.gzip);
  const total = assets.reduce((s, a) => ({ bytes: s.bytes + a.bytes, gzip: s.gzip + a.gzip }), { bytes: 0, gzip: 0 });
  const htmlGzip = gzipSync(Buffer.from(html), { level: 6 }).length;
  const editorIn = assets.filter((a) => a.editor);
  log(`HTML ${kb(html.length)} (${kb(htmlGzip)} gzip); ${assets.length} scripts, ${kb(total.bytes)} (${kb(total.gzip)} gzip); editor in the first load: ${editorIn.length ? "yes" : "no"}`);

  const commit = gitCommit(root);
  const md = [
    `### Latest run — ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    "",
    `- Command: \`npm run bench:page-weight\`${commit ? ` (commit \`${commit}\`)` : ""}; \`scripts/server.mjs\`, embedded database; a signed-out reader (no cookies) loading \`/articles/${SLUG}\`.`,
    `- HTML: ${kb(html.length)}, ${kb(htmlGzip)} gzip (the article text and the RSC payload; not JavaScript).`,
    `- **JavaScript: ${assets.length} scripts, ${kb(total.bytes)} as served, ${kb(total.gzip)} gzip** — target under ${kb(TARGET_GZIP)} gzip: **${total.gzip <= TARGET_GZIP ? "met" : "missed"}**.`,
    `- The editor (the contribution form) in the first load: **${editorIn.length ? `yes (${editorIn.map((a) => a.url).join(", ")})` : "no: it is fetched when a discussion is opened"}**.`,
    `- Not counted: ${skipped} \`noModule\` script(s) (legacy polyfills, which browsers that run modules never fetch).`,
    "",
    "| Script | Bytes | gzip |",
    "|---|---:|---:|",
    ...assets.map((a) => `| \`${a.url}\`${a.editor ? " (editor)" : ""} | ${a.bytes.toLocaleString("en-US")} | ${a.gzip.toLocaleString("en-US")} |`),
    "",
  ].join("\n");
  if (perfMd !== "-") {
    writeMarkedSection(perfMd, md, {
      start: "<!-- bench:page-weight:start (written by `npm run bench:page-weight`; edits inside are overwritten) -->",
      end: "<!-- bench:page-weight:end -->",
      heading: "## Page weight: the article page for a signed-out reader",
    });
    log(`wrote ${perfMd}`);
  } else console.log(md);
}

try {
  await main();
} catch (err) {
  console.error(`[bench:page-weight] ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
