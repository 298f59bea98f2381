import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, MigrationError, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * The migration runner on an EMPTY database (a new one, never the app's): applies everything
 * once, nothing the second time, records each migration as `prisma migrate deploy` would,
 * refuses edited migrations, and leaves nothing behind when a migration fails.
 */

const DIR = path.join(process.cwd(), "prisma", "migrations");
const migrationNames = readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

let db: FreshDatabase;
let migrations: Migration[];

const rows = () =>
  db.conn.query<MigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);

beforeAll(async () => {
  db = await createFreshDatabase();
  migrations = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe("migrations on an empty database", () => {
  let firstCatalog: Awaited<ReturnType<typeof readCatalog>>;

  it("starts from an empty database", async () => {
    const catalog = await readCatalog(db.conn);
    expect(catalog.tables).toEqual([]);
    expect(catalog.enums).toEqual([]);
  });

  it("reads every migration directory, in order, with the file's sha256", () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.name)).toEqual(migrationNames);
    for (const m of migrations) {
      const file = readFileSync(path.join(DIR, m.name, "migration.sql"), "utf8");
      expect(m.sql).toBe(file);
      expect(m.checksum).toBe(sha256(file));
    }
  });

  it("applies all of them on the first run", async () => {
    const res = await migrate(db.conn);
    expect(res).toEqual({ applied: migrationNames, alreadyApplied: [] });
    firstCatalog = await readCatalog(db.conn);
    expect(firstCatalog.tables).toEqual(expect.arrayContaining(["_prisma_migrations", "User", "Contribution"]));
  });

  it("records each one the way prisma migrate deploy does", async () => {
    const recorded = await rows();
    expect(recorded.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const r of recorded) {
      const file = readFileSync(path.join(DIR, r.migration_name, "migration.sql"), "utf8");
      expect(r.checksum).toBe(sha256(file));
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.finished_at!.getTime()).toBeGreaterThanOrEqual(new Date(r.started_at).getTime());
      expect(r.rolled_back_at).toBeNull();
      expect(r.logs).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("applies none on the second run and leaves the catalog exactly as it was", async () => {
    const before = await rows();
    const res = await migrate(db.conn);
    expect(res).toEqual({ applied: [], alreadyApplied: migrationNames });
    expect(await readCatalog(db.conn)).toEqual(firstCatalog);
    expect(await rows()).toEqual(before);
  });

  it("refuses a migration whose file was edited after it was applied", async () => {
    const before = await rows();
    const edited = migrations.map((m, i) => {
      if (i !== 0) return m;
      const sql = `${m.sql}\n-- edited after it was applied\n`;
      return { ...m, sql, checksum: sha256(sql) };
    });
    await expect(migrate(db.conn, edited)).rejects.toThrow(MigrationError);
    await expect(migrate(db.conn, edited)).rejects.toThrow(/edited after it was applied/);
    expect(await readCatalog(db.conn)).toEqual(firstCatalog);
    expect(await rows()).toEqual(before);
  });

  it("rolls a failing migration back completely: no schema change, no record", async () => {
    const before = await rows();
    const broken: Migration = {
      name: "29991231000000_broken",
      sql: `CREATE TABLE "ShouldNotExist" ("id" INTEGER);\nALTER TABLE "User" ADD COLUMN "alsoNot" TEXT;\nSELECT * FROM "no_such_table";\n`,
      checksum: "",
    };
    broken.checksum = sha256(broken.sql);
    await expect(migrate(db.conn, [...migrations, broken])).rejects.toThrow(/29991231000000_broken failed and was rolled back/);
    expect(await readCatalog(db.conn)).toEqual(firstCatalog);
    expect(await rows()).toEqual(before);
    const leftovers = await db.conn.query(`SELECT * FROM "_prisma_migrations" WHERE migration_name = $1`, [broken.name]);
    expect(leftovers).toEqual([]);
  });

  it("releases its advisory lock, also after a failure", async () => {
    const locks = await db.conn.query(`SELECT * FROM pg_locks WHERE locktype = 'advisory'`);
    expect(locks).toEqual([]);
    expect(await migrate(db.conn)).toEqual({ applied: [], alreadyApplied: migrationNames });
  });

  it("refuses to run while a migration is recorded as started but not finished", async () => {
    await db.conn.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000000', $1, '29991231000001_half_done', now(), 0)`,
      [sha256("x")],
    );
    try {
      await expect(migrate(db.conn)).rejects.toThrow(/started but not finished/);
    } finally {
      await db.conn.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '29991231000001_half_done'`);
    }
  });
});

// PGlite has exactly one connection: there is nothing to race there.
describe.runIf(process.env.DATABASE_URL)("concurrent migration runs on a PostgreSQL server", () => {
  it("serialise on the advisory lock: one applies, the other finds everything applied", async () => {
    const fresh = await createFreshDatabase();
    try {
      const other = await fresh.connect!();
      const [a, b] = await Promise.all([migrate(fresh.conn), migrate(other)]);
      const applied = [a.applied, b.applied].sort((x, y) => y.length - x.length);
      expect(applied).toEqual([migrationNames, []]);
      const count = await fresh.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(count[0]!.n).toBe(migrationNames.length);
    } finally {
      await fresh.close();
    }
  });
});
