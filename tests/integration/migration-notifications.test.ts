import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203170000_notifications on a database that already has live events: it creates the
 * notification tables and starts the notifier's cursor after the existing events, so nobody is
 * notified of what happened before it.
 */

const NOTIFICATIONS = "20261203170000_notifications";

let db: FreshDatabase;
let all: Migration[];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${NOTIFICATIONS}`, () => {
  it("starts the cursor after the events already there", async () => {
    await migrate(db.conn, all.filter((m) => m.name < NOTIFICATIONS));
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ('00000000-0000-4000-8000-000000000001'::uuid, 'a')`);
    for (let i = 0; i < 3; i++) {
      await db.conn.query(
        `INSERT INTO "ArticleEvent" ("articleId", "contributionId", "anchorId", "authorId", type, status, "wasPublished")
         VALUES ('00000000-0000-4000-8000-000000000001'::uuid, gen_random_uuid(), 'p', gen_random_uuid(), 'posted', 'PUBLISHED', false)`,
      );
    }
    const [last] = await db.conn.query<{ max: string }>(`SELECT max(id)::text AS max FROM "ArticleEvent"`);
    const max = last!.max;
    await migrate(db.conn, all);
    const cursor = await db.conn.query<{ name: string; lastEventId: string }>(`SELECT name, "lastEventId"::text AS "lastEventId" FROM "NotifierCursor"`);
    expect(cursor).toEqual([{ name: "replies", lastEventId: max }]);
    const tables = (await readCatalog(db.conn)).tables;
    expect(tables).toEqual(expect.arrayContaining(["Notification", "NotifierCursor"]));
  });
});
