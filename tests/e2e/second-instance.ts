import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * A second app instance for the multi-instance tests: `node scripts/server.mjs` on the build the
 * suite runs, on another port, against the SAME PostgreSQL database and content as the first
 * (scripts/e2e-server.mjs starts that one; the environment here mirrors it). Only on a PostgreSQL
 * server: the embedded database can be open in one process at a time.
 */
export interface SecondInstance {
  origin: string;
  stop(): Promise<void>;
}

export const canRunSecondInstance = (): boolean => !!process.env.E2E_DATABASE_URL;

export async function startSecondInstance(): Promise<SecondInstance> {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("a second instance needs E2E_DATABASE_URL (a PostgreSQL server)");
  const port = String(Number(process.env.E2E_PORT ?? 3100) + 1);
  const origin = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: url,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "e2e-secret-not-for-production-0123456789",
    NEXTAUTH_URL: origin,
    CONTENT_DIR: path.resolve(process.env.E2E_CONTENT_DIR ?? ".data/e2e-content"),
    RATE_LIMIT_MULTIPLIER: process.env.RATE_LIMIT_MULTIPLIER ?? "100",
    EXPORT_DIR: process.env.E2E_EXPORT_DIR ?? ".data/e2e-exports",
    SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT ?? "2525"}`,
    MAIL_FROM: "Marginalia <no-reply@example.test>",
    RANKING_INTERVAL_MINUTES: process.env.RANKING_INTERVAL_MINUTES ?? "100000",
    RANKING_MIN_NEW_RATINGS: process.env.RANKING_MIN_NEW_RATINGS ?? "1000000",
  };
  delete env.PGLITE_DIR;
  const child: ChildProcess = spawn(process.execPath, ["scripts/server.mjs", "-p", port], { env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    if (stderr.trim()) console.log(`[second instance] ${stderr.trim().split("\n").slice(-20).join("\n")}`);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the second instance exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${origin}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the second instance did not answer within 90 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { origin, stop };
}
