import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261204100000_notification_events on a database with a notification from before it: it adds
 * the trigger, and from then on every change to someone's notifications is announced on
 * `user_notifications` with their id — once per transaction, however many rows — and nothing else.
 */

const EVENTS = "20261204100000_notification_events";

let db: FreshDatabase;
let all: Migration[];
let listener: pg.Client | null = null;
const heard: string[] = [];
const [alice, bob, articleId, versionId, paragraphId, c1, c2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await listener?.end();
  await db?.close();
});

async function contribution(id: string, author: string): Promise<void> {
  await db.conn.query(
    `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
     VALUES ($1::uuid, 'ANNOTATION', 'Text', $2::uuid, $3::uuid, $4::uuid, 'p-1', 'Text', '', '', 0, 4, $5::uuid, now())`,
    [id, articleId, versionId, paragraphId, author],
  );
}

/** What the listener has heard once the server has had time to deliver it. */
async function heardSoon(n: number): Promise<string[]> {
  for (let i = 0; i < 50 && heard.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  return heard.splice(0);
}

describe(`migration ${EVENTS}`, () => {
  it("applies on top of a database with a notification", async () => {
    await migrate(db.conn, all.filter((m) => m.name < EVENTS));
    for (const [id, name] of [[alice, "A"], [bob, "B"]] as const) {
      await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, $2, $3, 'x', now())`, [id, `${name}@test.invalid`, name]);
    }
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    await db.conn.query(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{}')`, [versionId, articleId]);
    await db.conn.query(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [paragraphId, versionId]);
    await contribution(c1, bob);
    await contribution(c2, bob);
    await db.conn.query(`INSERT INTO "Notification" (id, "userId", kind, "contributionId") VALUES (gen_random_uuid(), $1::uuid, 'REPLY', $2::uuid)`, [alice, c1]);
    await migrate(db.conn, all);
    const triggers = await db.conn.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger WHERE tgrelid = '"Notification"'::regclass AND NOT tgisinternal`);
    expect(triggers.map((t) => t.tgname)).toEqual(["Notification_user_event"]);
  });

  it("announces a new notification, one read, one unread again and one deleted, with the person's id; a bulk change once", async () => {
    if (db.kind !== "server") return; // the embedded database's one connection is the test's own: nobody else to listen
    const [{ name }] = (await db.conn.query<{ name: string }>(`SELECT current_database() AS name`)) as [{ name: string }];
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    listener = new pg.Client({ connectionString: url.toString() });
    await listener.connect();
    listener.on("notification", (m) => heard.push(`${m.channel}:${m.payload}`));
    await listener.query("LISTEN user_notifications");

    await db.conn.query(`INSERT INTO "Notification" (id, "userId", kind, "contributionId") VALUES (gen_random_uuid(), $1::uuid, 'REPLY', $2::uuid)`, [alice, c2]);
    expect(await heardSoon(1)).toEqual([`user_notifications:${alice}`]);
    // "Mark all read": two rows, one notification.
    await db.conn.query(`UPDATE "Notification" SET "readAt" = now() WHERE "userId" = $1::uuid`, [alice]);
    expect(await heardSoon(1)).toEqual([`user_notifications:${alice}`]);
    await db.conn.query(`UPDATE "Notification" SET "readAt" = NULL WHERE "userId" = $1::uuid AND "contributionId" = $2::uuid`, [alice, c1]);
    expect(await heardSoon(1)).toEqual([`user_notifications:${alice}`]);
    // Gone with its contribution.
    await db.conn.query(`DELETE FROM "Contribution" WHERE id = $1::uuid`, [c1]);
    expect(await heardSoon(1)).toEqual([`user_notifications:${alice}`]);
    // Changes elsewhere say nothing.
    await db.conn.query(`UPDATE "User" SET name = 'B2' WHERE id = $1::uuid`, [bob]);
    expect(await heardSoon(0)).toEqual([]);
  });
});
