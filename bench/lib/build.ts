import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(p)) {
    if (e === "node_modules" || e === "generated" || e.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(p, e)));
  }
  return newest;
}

/**
 * Why the production build in `root` must be (re)made, or null if it is current: `build` "1"
 * always builds, "0" never; otherwise when .next/BUILD_ID is missing or older than the sources.
 */
export function buildReason(root: string, build: string | undefined): string | null {
  if (build === "1") return "BENCH_BUILD=1";
  if (build === "0") return null;
  const id = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(id)) return ".next/BUILD_ID is missing";
  const built = statSync(id).mtimeMs;
  const sources = ["app", "lib", "instrumentation.ts", "proxy.ts", "next.config.js", "postcss.config.mjs", "package.json"];
  const stale = sources.find((s) => newestMtime(path.join(root, s)) > built);
  return stale ? `${stale} is newer than the build` : null;
}
