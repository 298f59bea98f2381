import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203190000_digests on a database with a person who has digests on and one who unsubscribed:
 * both get the weekly frequency (the switch stays as it was), no digest yet, and only DAILY or
 * WEEKLY are accepted.
 */

const DIGESTS = "20261203190000_digests";

let db: FreshDatabase;
let all: Migration[];
const [on, off] = [randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${DIGESTS}`, () => {
  it("keeps each person's switch, adds the weekly frequency and no digest yet", async () => {
    await migrate(db.conn, all.filter((m) => m.name < DIGESTS));
    for (const [id, email, digest] of [[on, "on@test.invalid", true], [off, "off@test.invalid", false]] as const) {
      await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "digestEmails", "updatedAt") VALUES ($1::uuid, $2, 'U', 'x', $3, now())`, [id, email, digest]);
    }
    await migrate(db.conn, all);
    const rows = await db.conn.query<{ email: string; digestEmails: boolean; digestFrequency: string; lastDigestAt: Date | null }>(
      `SELECT email, "digestEmails", "digestFrequency", "lastDigestAt" FROM "User" ORDER BY email`,
    );
    expect(rows).toEqual([
      { email: "off@test.invalid", digestEmails: false, digestFrequency: "WEEKLY", lastDigestAt: null },
      { email: "on@test.invalid", digestEmails: true, digestFrequency: "WEEKLY", lastDigestAt: null },
    ]);
    await expect(db.conn.query(`UPDATE "User" SET "digestFrequency" = 'HOURLY' WHERE id = $1::uuid`, [on])).rejects.toThrow();
  });
});
