import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

/**
 * Raw SQL over either a PostgreSQL server connection (pg.Client) or the embedded PGlite
 * instance: the migration runner, scripts, and the research export's streamed reads
 * (lib/research/source.ts). Application queries go through Prisma ($queryRaw where set-based).
 */
export interface SqlConnection {
  /** One statement with $1.. parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
}

export function fromPgClient(client: pg.Client | pg.PoolClient): SqlConnection {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await client.query(sql, params);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

export function fromPGlite(db: PGlite): SqlConnection {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await db.query<T>(sql, params);
      return res.rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}
