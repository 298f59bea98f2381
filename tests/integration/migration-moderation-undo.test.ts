import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203152000_moderation_undo on a database whose audit log already has a decision: it adds
 * UNDO to the log's actions (last, so existing values keep their order), leaves the old entry as
 * it was (no undo details: such a decision simply cannot be undone), and UNDO entries can be
 * appended while the log stays append-only.
 */

const UNDO = "20261203152000_moderation_undo";

let db: FreshDatabase;
let all: Migration[];
const moderator = randomUUID();
const logId = randomUUID();

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${UNDO}`, () => {
  it("applies on top of an audit log with a decision in it", async () => {
    await migrate(
      db.conn,
      all.filter((m) => m.name < UNDO),
    );
    const pre = await readCatalog(db.conn);
    expect(pre.enums.find((e) => e.name === "ModerationAction")?.values).not.toContain("UNDO");
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES ($1::uuid, 'm@test.invalid', 'M', 'x', 'MODERATOR', now())`, [moderator]);
    await db.conn.query(`INSERT INTO "ModerationLog" (id, "actorId", action, reason) VALUES ($1::uuid, $2::uuid, 'HIDE', 'Before undo existed')`, [logId, moderator]);
    await migrate(db.conn, all);
  });

  it("adds UNDO after the values before it and keeps the old entry unchanged", async () => {
    const values = (await readCatalog(db.conn)).enums.find((e) => e.name === "ModerationAction")!.values;
    // Appended after what the enum had then (ARTICLE_CREATE was last); later migrations may append more.
    expect(values.indexOf("UNDO")).toBe(values.indexOf("ARTICLE_CREATE") + 1);
    expect(values).toEqual(expect.arrayContaining(["HIDE", "EXPORT", "APPEAL_DENIED"]));
    const rows = await db.conn.query<{ action: string; reason: string; details: unknown }>(`SELECT action::text, reason, details FROM "ModerationLog"`);
    expect(rows).toEqual([{ action: "HIDE", reason: "Before undo existed", details: null }]);
  });

  it("takes UNDO entries, and the log still refuses changes", async () => {
    await db.conn.query(`INSERT INTO "ModerationLog" (id, "actorId", action, details) VALUES ($1::uuid, $2::uuid, 'UNDO', '{"undoes":"x"}')`, [randomUUID(), moderator]);
    await expect(db.conn.query(`UPDATE "ModerationLog" SET reason = 'changed' WHERE id = $1::uuid`, [logId])).rejects.toThrow();
  });
});
