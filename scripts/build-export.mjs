// node scripts/build-export.mjs — compiles the research export CLI (scripts/export.mts) and the export
// benchmark (bench/export.mts, whose child is what it measures) to plain JavaScript in .build/export/,
// with esbuild (installed with tsx): the app's modules bundled, node_modules left as they are. Rebuilt
// only when a source file it was built from changed (or this script did), so `npm run export` costs
// ~1 s the first time and nothing after. Running compiled JavaScript instead of through tsx keeps
// tsx's loader thread and TypeScript transforms out of the export process (docs/decisions/0045).
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUT_DIR = path.join(root, ".build", "export");
const ENTRIES = { export: "scripts/export.mts", "bench-export": "bench/export.mts" };
const META = path.join(OUT_DIR, "meta.json");

function stale() {
  if (!existsSync(META)) return true;
  let meta;
  try {
    meta = JSON.parse(readFileSync(META, "utf8"));
  } catch {
    return true;
  }
  const built = Math.min(...Object.keys(ENTRIES).map((n) => (existsSync(path.join(OUT_DIR, `${n}.mjs`)) ? statSync(path.join(OUT_DIR, `${n}.mjs`)).mtimeMs : 0)));
  const inputs = [...Object.keys(meta.inputs ?? {}), path.relative(root, fileURLToPath(import.meta.url)), "package-lock.json", "tsconfig.json"];
  return inputs.some((f) => {
    const p = path.resolve(root, f);
    return !existsSync(p) || statSync(p).mtimeMs > built;
  });
}

export async function buildExport({ force = false } = {}) {
  if (!force && !stale()) return false;
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: OUT_DIR,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // lib/startup (content loading, on Prisma) is imported only when content/ changed: its own chunk.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    tsconfig: path.join(root, "tsconfig.json"),
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    // CommonJS code bundled from the app (none today) would need require(); ESM gives it none.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  });
  writeFileSync(META, JSON.stringify(result.metafile));
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = performance.now();
  const built = await buildExport({ force: process.argv.includes("--force") });
  if (built) console.error(`[build-export] compiled to ${path.relative(root, OUT_DIR)}/ in ${Math.round(performance.now() - t)} ms`);
}
