import { execFileSync } from "node:child_process";

/** The short commit of the checkout at `cwd` ("+ uncommitted changes" when dirty), for the report. */
export function gitCommit(cwd: string): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd, encoding: "utf8", stdio: "pipe" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd, encoding: "utf8", stdio: "pipe" }).trim();
    return dirty ? `${sha} + uncommitted changes` : sha;
  } catch {
    return "unknown";
  }
}
