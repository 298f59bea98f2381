import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203160000_live_events on a database with a contribution from before it: it creates
 * ArticleEvent (no rows for the past: there is nobody to replay them to), and from then on the
 * trigger writes one row per change readers could notice — and none for the rest.
 */

const LIVE = "20261203160000_live_events";

let db: FreshDatabase;
let all: Migration[];
const [author, articleId, versionId, paragraphId, contributionId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

const events = () => db.conn.query<{ type: string; status: string; wasPublished: boolean }>(`SELECT type, status::text, "wasPublished" FROM "ArticleEvent" ORDER BY id`);

describe(`migration ${LIVE}`, () => {
  it("applies on top of a database with a contribution, and writes nothing for it", async () => {
    await migrate(db.conn, all.filter((m) => m.name < LIVE));
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'A', 'x', now())`, [author]);
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    await db.conn.query(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{}')`, [versionId, articleId]);
    await db.conn.query(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [paragraphId, versionId]);
    await db.conn.query(
      `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
       VALUES ($1::uuid, 'ANNOTATION', 'Before', $2::uuid, $3::uuid, $4::uuid, 'p-1', 'Text', '', '', 0, 4, $5::uuid, now())`,
      [contributionId, articleId, versionId, paragraphId, author],
    );
    await migrate(db.conn, all);
    expect(await events()).toEqual([]);
  });

  it("records edits, removals and publications, but not report counts", async () => {
    await db.conn.query(`UPDATE "Contribution" SET body = 'Edited', version = version + 1 WHERE id = $1::uuid`, [contributionId]);
    await db.conn.query(`UPDATE "Contribution" SET "openFlagCount" = 2, "queuedAt" = now() WHERE id = $1::uuid`, [contributionId]);
    await db.conn.query(`UPDATE "Contribution" SET status = 'HIDDEN' WHERE id = $1::uuid`, [contributionId]);
    await db.conn.query(`UPDATE "Contribution" SET status = 'PUBLISHED' WHERE id = $1::uuid`, [contributionId]);
    await db.conn.query(`UPDATE "Contribution" SET "deletedAt" = now() WHERE id = $1::uuid`, [contributionId]);
    expect(await events()).toEqual([
      { type: "changed", status: "PUBLISHED", wasPublished: true },
      { type: "removed", status: "HIDDEN", wasPublished: true },
      { type: "posted", status: "PUBLISHED", wasPublished: false },
      { type: "removed", status: "PUBLISHED", wasPublished: true },
    ]);
  });
});
