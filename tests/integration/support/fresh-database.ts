import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { fromPgClient, fromPGlite, type SqlConnection } from "@/lib/db/sql";

/**
 * An EMPTY database of the same kind the run uses, created for one test file:
 * - DATABASE_URL set: a new database `mig_<random>` on that PostgreSQL server (dropped by close());
 * - otherwise: a new in-memory PGlite.
 * The app's own database (getDb) is never touched.
 */
export interface FreshDatabase {
  kind: "server" | "embedded";
  conn: SqlConnection;
  /** A second, independent connection (server only: PGlite has exactly one). */
  connect?: () => Promise<SqlConnection>;
  close(): Promise<void>;
}

export async function createFreshDatabase(): Promise<FreshDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = new PGlite();
    await db.waitReady;
    return { kind: "embedded", conn: fromPGlite(db), close: () => db.close() };
  }

  const name = `mig_${randomBytes(8).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const clients: pg.Client[] = [];
  const connect = async () => {
    const c = new pg.Client({ connectionString: target.toString() });
    await c.connect();
    clients.push(c);
    return fromPgClient(c);
  };
  const conn = await connect();
  return {
    kind: "server",
    conn,
    connect,
    async close() {
      await Promise.allSettled(clients.map((c) => c.end()));
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
