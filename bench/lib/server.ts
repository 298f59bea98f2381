import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * The production server — scripts/server.mjs, what `npm start` runs: Next's handler behind a
 * plain Node server that also compresses (docs/decisions/0051) — in its own process group, so
 * that stopping it stops every child it spawned. Listens on 127.0.0.1 only.
 */

export interface Server {
  origin: string;
  pid: number;
  /** The last lines the server printed (for error messages). */
  log(): string;
  stop(): Promise<void>;
}

export async function startServer(opts: { cwd: string; port: number; env: NodeJS.ProcessEnv; readyPath: string }): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [path.join(opts.cwd, "scripts/server.mjs"), "-H", "127.0.0.1", "-p", String(opts.port)], {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error("Could not spawn scripts/server.mjs");
  const pid = child.pid;
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | string | null = null;
  const exitPromise = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? signal ?? "exit";
      resolve();
    }),
  );

  const server: Server = {
    origin: `http://127.0.0.1:${opts.port}`,
    pid,
    log: () => lines.join("\n"),
    async stop() {
      if (exited !== null) return;
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 5000);
      await exitPromise;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`scripts/server.mjs exited (${exited}) before it was ready:\n${server.log()}`);
    try {
      const res = await fetch(server.origin + opts.readyPath, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`scripts/server.mjs was not ready after 60 s:\n${server.log()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
