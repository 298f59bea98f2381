import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203180000_follows on a database with a user and a reply notification from before it: the
 * user gets every notification setting on (as replies were before), the old notification keeps
 * its kind, and the new kinds and follow targets are checked by the database.
 */

const FOLLOWS = "20261203180000_follows";

let db: FreshDatabase;
let all: Migration[];
const user = randomUUID();

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${FOLLOWS}`, () => {
  it("turns every setting on for existing people and keeps their notifications", async () => {
    await migrate(db.conn, all.filter((m) => m.name < FOLLOWS));
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'u@test.invalid', 'U', 'x', now())`, [user]);
    await migrate(db.conn, all);
    const [u] = await db.conn.query<Record<string, boolean>>(`SELECT "notifyReplies", "notifyFollowed", "notifyModeration", "autoFollow" FROM "User" WHERE id = $1::uuid`, [user]);
    expect(u).toEqual({ notifyReplies: true, notifyFollowed: true, notifyModeration: true, autoFollow: true });
  });

  it("refuses an unknown notification kind or follow target", async () => {
    const article = randomUUID();
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [article]);
    await expect(db.conn.query(`INSERT INTO "Follow" (id, "userId", "articleId", target) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, 'everything')`, [user, article])).rejects.toThrow();
    await db.conn.query(`INSERT INTO "Follow" (id, "userId", "articleId", target) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, 'paragraph:p-1')`, [user, article]);
    await expect(db.conn.query(`INSERT INTO "Follow" (id, "userId", "articleId", target) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, 'paragraph:p-1')`, [user, article])).rejects.toThrow();
  });
});
