import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261127020000_research_export on a database that already has data: applied after the
 * earlier migrations and a user row, it keeps the user (included in research exports: opt-out
 * defaults to false), adds EXPORT to the audit log's actions, and creates the export tables.
 */

const RESEARCH = "20261127020000_research_export";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const userId = randomUUID();
const ownerId = randomUUID();

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${RESEARCH}`, () => {
  it("exists and comes after the moderation migration", () => {
    const names = all.map((m) => m.name);
    expect(names).toContain(RESEARCH);
    const before = names.filter((n) => n < RESEARCH);
    expect(before).toEqual(["20261127000000_init", "20261127010000_moderation"]);
  });

  it("applies on top of a database that already has users", async () => {
    const before = all.filter((m) => m.name < RESEARCH);
    expect(await migrate(db.conn, before)).toEqual({ applied: before.map((m) => m.name), alreadyApplied: [] });
    const pre = await readCatalog(db.conn);
    expect(pre.tables).not.toContain("ResearchStudy");
    expect(pre.enums.find((e) => e.name === "ModerationAction")?.values).not.toContain("EXPORT");
    expect(pre.columns.find((c) => c.table === "User" && c.name === "researchOptOut")).toBeUndefined();

    for (const [id, email] of [
      [userId, "existing-user@test.invalid"],
      [ownerId, "existing-researcher@test.invalid"],
    ] as const) {
      await db.conn.query(
        `INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES ($1::uuid, $2, 'Existing', 'x', 'READER', now())`,
        [id, email],
      );
    }

    const rest = all.filter((m) => m.name >= RESEARCH);
    expect(rest[0]?.name).toBe(RESEARCH);
    expect(await migrate(db.conn, all)).toEqual({ applied: rest.map((m) => m.name), alreadyApplied: before.map((m) => m.name) });
    catalog = await readCatalog(db.conn);
  });

  it("leaves existing users in research exports (researchOptOut = false, NOT NULL, default false)", async () => {
    const rows = await db.conn.query<{ id: string; researchOptOut: boolean }>(`SELECT id::text, "researchOptOut" FROM "User" ORDER BY email`);
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: userId, researchOptOut: false },
        { id: ownerId, researchOptOut: false },
      ]),
    );
    const col = catalog.columns.find((c) => c.table === "User" && c.name === "researchOptOut");
    expect(col).toMatchObject({ dataType: "boolean", nullable: false, default: "false" });
  });

  it("adds EXPORT to the audit log's actions and the new enums", () => {
    const values = (name: string) => catalog.enums.find((e) => e.name === name)?.values;
    expect(values("ModerationAction")).toContain("EXPORT");
    expect(values("ModerationAction")).toEqual(expect.arrayContaining(["FLAG", "HIDE", "ROLE_CHANGE", "UNSUSPEND"]));
    expect(values("ExportFormat")).toEqual(["CSV", "JSONL", "JSONLD"]);
    expect(values("ExportStatus")).toEqual(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "EXPIRED"]);
    expect(values("TokenScope")).toEqual(["EXPORT", "EXPORT_READ"]);
  });

  it("creates the study, export job and API token tables, with the foreign keys that keep history", () => {
    expect(catalog.tables).toEqual(expect.arrayContaining(["ResearchStudy", "ExportJob", "ApiToken"]));
    const fk = (table: string, column: string) => catalog.foreignKeys.find((f) => f.table === table && f.columns.join() === column);
    expect(fk("ResearchStudy", "ownerId")).toMatchObject({ referencedTable: "User", onDelete: "r" });
    expect(fk("ExportJob", "studyId")).toMatchObject({ referencedTable: "ResearchStudy", onDelete: "r" });
    expect(fk("ExportJob", "requestedById")).toMatchObject({ referencedTable: "User", onDelete: "r" });
    expect(fk("ApiToken", "userId")).toMatchObject({ referencedTable: "User", onDelete: "c" });
    const unique = (table: string) => catalog.indexes.filter((i) => i.table === table && i.unique && !i.primary).map((i) => i.columns);
    expect(unique("ApiToken")).toContainEqual(["tokenHash"]);
    expect(unique("ResearchStudy")).toContainEqual(["ownerId", "name"]);
  });

  it("takes rows in the new tables and EXPORT rows in the audit log", async () => {
    const studyId = randomUUID();
    await db.conn.query(
      `INSERT INTO "ResearchStudy" (id, "ownerId", name, "pseudonymKey", "keyFingerprint") VALUES ($1::uuid, $2::uuid, 'S', '\\x00'::bytea, 'sha256:0')`,
      [studyId, ownerId],
    );
    const jobId = randomUUID();
    await db.conn.query(
      `INSERT INTO "ExportJob" (id, "studyId", "requestedById", format, filters) VALUES ($1::uuid, $2::uuid, $3::uuid, 'CSV', '{}'::jsonb)`,
      [jobId, studyId, ownerId],
    );
    const [job] = await db.conn.query<{ status: string; rowsWritten: number; requestedVia: string }>(
      `SELECT status::text, "rowsWritten", "requestedVia" FROM "ExportJob" WHERE id = $1::uuid`,
      [jobId],
    );
    expect(job).toEqual({ status: "QUEUED", rowsWritten: 0, requestedVia: "web" });
    await db.conn.query(
      `INSERT INTO "ModerationLog" (id, "actorId", action, reason, details) VALUES ($1::uuid, $2::uuid, 'EXPORT', 'Research export', $3::jsonb)`,
      [randomUUID(), ownerId, JSON.stringify({ exportId: jobId })],
    );
    const [n] = await db.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ModerationLog" WHERE action = 'EXPORT'`);
    expect(n!.n).toBe(1);
    // A researcher with a study cannot be deleted (RESTRICT); one without can.
    await expect(db.conn.query(`DELETE FROM "User" WHERE id = $1::uuid`, [ownerId])).rejects.toThrow();
    await db.conn.query(`DELETE FROM "User" WHERE id = $1::uuid`, [userId]);
  });

  it("is not applied twice", async () => {
    const res = await migrate(db.conn, all);
    expect(res.applied).toEqual([]);
    expect(res.alreadyApplied).toEqual(all.map((m) => m.name));
    expect(await readCatalog(db.conn)).toEqual(catalog);
  });
});
