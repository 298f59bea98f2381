import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A throwaway PostgreSQL cluster for the benchmark: initdb in a temporary directory, listen
 * on 127.0.0.1 only, stop and delete it afterwards. As root, the cluster is owned and run by
 * the `postgres` user (PostgreSQL refuses to run as root); otherwise by the current user.
 */

export interface Cluster {
  /** Server URL without a database name (append `/<db>`). */
  serverUrl: string;
  version: string;
  /** The data directory (holds postmaster.pid). */
  dataDir: string;
  stop(): void;
  /**
   * `pg_ctl <action> -m fast -w` on the running cluster: `restart` terminates every connection,
   * shuts down and starts again, resolving once it accepts connections; `stop` and `start` do
   * one half each. Asynchronous, so a load running in this process keeps going meanwhile.
   */
  ctl(action: "restart" | "stop" | "start"): Promise<void>;
}

export function findPgBin(): string {
  const fromEnv = process.env.BENCH_PG_BIN;
  if (fromEnv) return fromEnv;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(root, versions[0], "bin");
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("No PostgreSQL server binaries found: set BENCH_PG_BIN or BENCH_DATABASE_URL.");
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: "127.0.0.1", port });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function startCluster(port: number): Promise<Cluster> {
  if (await portInUse(port)) {
    throw new Error(`Port ${port} is already in use: set BENCH_PG_PORT, or BENCH_DATABASE_URL to use an existing server.`);
  }
  const bin = findPgBin();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-pg-"));
  const run = (cmd: string, args: string[]) => {
    if (isRoot) {
      const line = [path.join(bin, cmd), ...args].map(shellQuote).join(" ");
      execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", line], { stdio: "pipe" });
    } else {
      execFileSync(path.join(bin, cmd), args, { stdio: "pipe" });
    }
  };
  const runAsync = (cmd: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, argv] = isRoot
        ? ["su", ["postgres", "-s", "/bin/sh", "-c", [path.join(bin, cmd), ...args].map(shellQuote).join(" ")]]
        : [path.join(bin, cmd), args];
      execFile(file, argv as string[], (err) => (err ? reject(err) : resolve()));
    });
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      try {
        run("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]);
      } catch (err) {
        console.error(`[bench] could not stop PostgreSQL in ${dir}: ${(err as Error).message}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (isRoot) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })));
    run("initdb", ["-D", dir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions"]);
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
    started = true;
    run("pg_ctl", ["-D", dir, "-o", opts, "-l", path.join(dir, "log"), "-w", "start"]);
  } catch (err) {
    const log = existsSync(path.join(dir, "log")) ? readFileSync(path.join(dir, "log"), "utf8").slice(-2000) : "";
    stop();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`Could not start PostgreSQL (${bin}): ${(err as Error).message}\n${stderr}\n${log}`);
  }
  const serverUrl = `postgresql://postgres@127.0.0.1:${port}`;
  const ctl = (action: "restart" | "stop" | "start") =>
    runAsync("pg_ctl", ["-D", dir, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "-l", path.join(dir, "log"), "-m", "fast", "-w", action]);
  return { serverUrl, version: await serverVersion(`${serverUrl}/postgres`), dataDir: dir, stop, ctl };
}

export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ server_version: string }>("SHOW server_version");
    return res.rows[0]?.server_version ?? "unknown";
  } finally {
    await client.end();
  }
}

/** The URL of `name` on the same server as `url` (a postgresql:// URL with any database). */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops and recreates `name`, connecting through `adminUrl` (any other database on the server). */
export async function recreateDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Bad database name: ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
