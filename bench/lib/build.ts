import { spawnSync } from "node:child_process";
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

/** Makes the production build when buildReason says so (logged), with `env`; throws if `next build` fails. */
export function ensureBuild(root: string, build: string | undefined, env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  const reason = buildReason(root, build);
  if (!reason) return;
  log(`next build (${reason})`);
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const res = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
  if (res.status !== 0) throw new Error(`next build failed (exit ${res.status ?? res.signal})`);
}

/** The environment the benchmarks build with when they have no server environment of their own yet. */
export const BUILD_ENV = { NODE_ENV: "production", NEXTAUTH_SECRET: "bench-build-secret-0123456789", NEXT_TELEMETRY_DISABLED: "1" } as const;
