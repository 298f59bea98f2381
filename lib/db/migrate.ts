import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlConnection } from "./sql";

/**
 * Applies prisma/migrations/<name>/migration.sql in order, the way `prisma migrate deploy`
 * would, and records each in `_prisma_migrations` with the same columns and checksum, so a
 * deployment that has Prisma's engine can run `prisma migrate status/deploy` on the same
 * database. See docs/decisions/0002-migrations.md.
 */

// The advisory lock id Prisma's migrate engine uses, so the two never run at once.
const LOCK_ID = 72707369;

export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const out: Migration[] = [];
  for (const name of names) {
    const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
    out.push({ name, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return out;
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Idempotent: a migration already recorded is skipped (after checking its file was not
 * edited since). Each new migration runs in its own transaction together with its
 * bookkeeping row, so a failure leaves neither the schema change nor the record.
 */
export async function migrate(conn: SqlConnection, migrations?: Migration[]): Promise<MigrateResult> {
  const all = migrations ?? (await readMigrations());
  await conn.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
  try {
    await conn.exec(CREATE_TABLE);
    const rows = await conn.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const done = new Map<string, AppliedRow>();
    for (const r of rows) {
      if (r.rolled_back_at) continue;
      if (!r.finished_at) {
        throw new MigrationError(
          `Migration ${r.migration_name} is recorded as started but not finished; resolve it before migrating.`,
        );
      }
      done.set(r.migration_name, r);
    }
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const m of all) {
      const prior = done.get(m.name);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new MigrationError(
            `Migration ${m.name} was edited after it was applied (checksum differs). Migrations are forward-only: add a new one.`,
          );
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      await conn.exec("BEGIN");
      try {
        const id = randomUUID();
        await conn.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, m.checksum, m.name],
        );
        await conn.exec(m.sql);
        await conn.query(
          `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await conn.exec("COMMIT");
      } catch (err) {
        await conn.exec("ROLLBACK");
        throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(err as Error).message}`);
      }
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await conn.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]);
  }
}
