import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { copyOut, copyRows } from "./copy-rows";
import { migrate } from "./migrate";
import { fromPgClient, fromPGlite, type SqlConnection } from "./sql";

/**
 * The one place that decides which database the app talks to:
 * - DATABASE_URL set   -> that PostgreSQL server, through @prisma/adapter-pg;
 * - DATABASE_URL unset -> an embedded PostgreSQL (PGlite) persisted under PGLITE_DIR
 *                         (default .data/pglite), migrated on first use.
 * Code that must differ asks databaseKind() or finds `copyRows` absent on a snapshot (the export);
 * the rest does not care which one it is. See docs/decisions/0003-embedded-database.md.
 */

function createPrisma(adapter: PrismaPg | PrismaPGlite) {
  // Password hashes and study keys are never selected unless a query asks for them explicitly.
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, researchStudy: { pseudonymKey: true } },
  });
}

export type Db = ReturnType<typeof createPrisma>;
/** The client handed to `$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

interface DbState {
  prisma: Db;
  kind: "server" | "embedded";
  pglite?: PGlite;
  ready?: Promise<Db>;
}

const g = globalThis as typeof globalThis & { __annotatedDb?: DbState };

/** How long a new connection (or a wait for a pooled one) may take before the query fails. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A dedicated connection for raw SQL. Its 'error' event (the server closed it while it sat
 * between two queries, e.g. a restart) is logged, not left unhandled, which would end the
 * process; the query in progress fails on its own.
 */
async function rawClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on("error", (err) => console.warn(`[db] connection lost: ${err.message}`));
  await client.connect();
  return client;
}

function open(): DbState {
  const e = env();
  if (e.DATABASE_URL) {
    const adapter = new PrismaPg(
      {
        connectionString: e.DATABASE_URL,
        max: 10,
        // Fail fast when the server is unreachable (or the pool has no free connection for this
        // long) instead of hanging: the request answers 503 (lib/http/respond.ts).
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        idleTimeoutMillis: 30_000,
      },
      {
        // A pooled connection the server closed (a restart) is dropped by the pool and replaced on
        // the next query; log it once per connection instead of crashing on an unhandled 'error'.
        onPoolError: (err) => console.warn(`[db] idle connection lost: ${err.message}`),
        onConnectionError: (err) => console.warn(`[db] connection lost: ${err.message}`),
      },
    );
    return { prisma: createPrisma(adapter), kind: "server" };
  }
  const dir = e.PGLITE_DIR;
  let dataDir: string | undefined;
  if (dir.startsWith("memory://")) {
    dataDir = undefined;
    console.log("[db] DATABASE_URL is not set: using an in-memory embedded PostgreSQL (PGlite)");
  } else {
    dataDir = path.resolve(dir);
    mkdirSync(dataDir, { recursive: true });
    console.log(`[db] DATABASE_URL is not set: using the embedded PostgreSQL (PGlite) in ${dataDir}`);
  }
  const pglite = new PGlite(dataDir);
  const state: DbState = { prisma: createPrisma(new PrismaPGlite(pglite)), kind: "embedded", pglite };
  closeOnExit(state);
  return state;
}

function state(): DbState {
  if (!g.__annotatedDb) g.__annotatedDb = open();
  return g.__annotatedDb;
}

/** Runs `fn` with a raw SQL connection to the same database (migrations, scripts). */
export async function withSql<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T> {
  const s = state();
  if (s.pglite) return fn(fromPGlite(s.pglite));
  const client = await rawClient();
  try {
    return await fn(fromPgClient(client));
  } finally {
    await client.end();
  }
}

/** What withReadSnapshot hands out: raw SQL, plus COPY … TO STDOUT on a PostgreSQL server. */
export interface SnapshotConnection extends SqlConnection {
  /**
   * The rows of `COPY (<select>) TO STDOUT` — PostgreSQL's text format: fields separated by tabs,
   * `\N` for NULL, backslash escapes — one string per row without its newline, in batches. The
   * socket is paused while the caller is behind, so memory stays bounded. `select` takes no
   * parameters (COPY accepts none). Only on a PostgreSQL server; absent on the embedded database.
   */
  copyRows?: (select: string) => AsyncGenerator<string[]>;
  /**
   * A whole `COPY (…) TO STDOUT …` statement, each row's bytes as PostgreSQL wrote them handed to
   * `onData` (copy-rows.ts copyOut; a returned promise pauses the socket until it settles). Only on
   * a PostgreSQL server, like copyRows.
   */
  copyOut?: (copyStatement: string, onData: (chunk: Buffer) => Promise<void> | undefined) => Promise<void>;
}

/**
 * Runs `fn` with a raw SQL connection for a long read (research exports). On a PostgreSQL server
 * it is a dedicated connection inside a READ ONLY, REPEATABLE READ transaction, so every query
 * sees one consistent snapshot; `snapshot` says so. The embedded database has one connection
 * shared with the app, so there each query is its own statement and `snapshot` is false.
 */
export async function withReadSnapshot<T>(fn: (conn: SnapshotConnection, snapshot: boolean) => Promise<T>): Promise<T> {
  const s = state();
  if (s.pglite) return fn(fromPGlite(s.pglite), false);
  const client = await rawClient();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const result = await fn({ ...fromPgClient(client), copyRows: (select) => copyRows(client, select), copyOut: (statement, onData) => copyOut(client, statement, onData) }, true);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * The Prisma client, once the schema is migrated: idempotent, once per process (cheap after the
 * first call). Loading content/ is a start-up step, not the database's: lib/startup.ts.
 */
export function getDb(): Promise<Db> {
  const s = state();
  if (!s.ready) {
    s.ready = (async () => {
      const res = await withSql((conn) => migrate(conn));
      if (res.applied.length) console.log(`[db] applied migrations: ${res.applied.join(", ")}`);
      return s.prisma;
    })();
    s.ready.catch(() => {
      // Let the next request try again rather than caching a failure forever.
      s.ready = undefined;
    });
  }
  return s.ready;
}

export function databaseKind(): "server" | "embedded" {
  return state().kind;
}

/** Closes the client (and the embedded database). Scripts and tests call this at the end. */
export async function closeDb(): Promise<void> {
  const s = g.__annotatedDb;
  if (!s) return;
  g.__annotatedDb = undefined;
  await s.prisma.$disconnect();
  if (s.pglite && !s.pglite.closed) await s.pglite.close();
}

function closeOnExit(s: DbState): void {
  // Killing a process that holds PGlite open forces recovery on the next open: close it.
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      const done = () => process.exit(sig === "SIGINT" ? 130 : 143);
      if (s.pglite && !s.pglite.closed) s.pglite.close().then(done, done);
      else done();
    });
  }
}

/**
 * LISTEN on `channels` for as long as the process runs, all on one connection: on a PostgreSQL
 * server a dedicated connection (reconnected after a loss, with `onReconnect` called so the caller
 * can catch up on what it missed), on the embedded database PGlite's own listen(). `onNotify` is
 * told the payload and the channel. Returns a function that stops.
 */
export async function listen(
  channels: string | string[],
  onNotify: (payload: string, channel: string) => void,
  onReconnect: () => void,
): Promise<() => Promise<void>> {
  const names = typeof channels === "string" ? [channels] : channels;
  for (const channel of names) if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  const channel = names.join(", ");
  await getDb();
  const s = state();
  if (s.pglite) {
    const pglite = s.pglite;
    const stops = await Promise.all(names.map((name) => pglite.listen(name, (payload) => onNotify(payload, name))));
    return async () => {
      for (const stop of stops) await stop();
    };
  }
  let stopped = false;
  let client: pg.Client | null = null;
  let delay = 500;
  const connect = async (): Promise<void> => {
    while (!stopped) {
      try {
        const c = new pg.Client({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
        c.on("notification", (m) => {
          if (names.includes(m.channel)) onNotify(m.payload ?? "", m.channel);
        });
        c.on("error", (err) => {
          console.warn(`[db] LISTEN ${channel}: connection lost: ${err.message}`);
          void c.end().catch(() => undefined);
          if (client === c && !stopped) {
            client = null;
            setTimeout(() => void connect().then(onReconnect), delay);
          }
        });
        await c.connect();
        for (const name of names) await c.query(`LISTEN ${name}`);
        client = c;
        delay = 500;
        return;
      } catch (err) {
        console.warn(`[db] LISTEN ${channel}: ${(err as Error).message}; retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
}
