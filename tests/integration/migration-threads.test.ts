import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203000000_threads on a database that already has a small thread (a root, a reply and a
 * reply to the reply, linked by parentId only): applied after the earlier migrations, it gives
 * each its root and depth, indexes replies by (parentId, createdAt, id), and a deleted root
 * leaves its replies in place with no root.
 */

const THREADS = "20261203000000_threads";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const author = randomUUID();
const [root, reply, deeper, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${THREADS}`, () => {
  it("applies on top of a database that already has replies", async () => {
    const before = all.filter((m) => m.name < THREADS);
    await migrate(db.conn, before);
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'U', 'x', now())`, [author]);
    const articleId = randomUUID();
    const versionId = randomUUID();
    const paragraphId = randomUUID();
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    await db.conn.query(
      `INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{}')`,
      [versionId, articleId],
    );
    await db.conn.query(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [
      paragraphId,
      versionId,
    ]);
    for (const [id, parent] of [
      [root, null],
      [reply, root],
      [deeper, reply],
      [other, null],
    ] as const) {
      await db.conn.query(
        `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "parentId", "updatedAt")
         VALUES ($1::uuid, 'COUNTERPOINT', 'b', $2::uuid, $3::uuid, $4::uuid, 'p-1', 'Text', '', '', 0, 4, $5::uuid, $6::uuid, now())`,
        [id, articleId, versionId, paragraphId, author, parent],
      );
    }
    const rest = all.filter((m) => m.name >= THREADS);
    expect(rest[0]?.name).toBe(THREADS);
    expect((await migrate(db.conn, all)).applied).toEqual(rest.map((m) => m.name));
    catalog = await readCatalog(db.conn);
  });

  it("gives every existing reply its thread's root and its depth", async () => {
    const rows = await db.conn.query<{ id: string; rootId: string | null; depth: number }>(`SELECT id::text, "rootId"::text AS "rootId", depth FROM "Contribution"`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(root)).toMatchObject({ rootId: null, depth: 0 });
    expect(byId.get(reply)).toMatchObject({ rootId: root, depth: 1 });
    expect(byId.get(deeper)).toMatchObject({ rootId: root, depth: 2 });
    expect(byId.get(other)).toMatchObject({ rootId: null, depth: 0 });
  });

  it("indexes a contribution's replies in page order, and threads by root", () => {
    const cols = catalog.indexes.filter((i) => i.table === "Contribution").map((i) => i.columns);
    expect(cols).toContainEqual(["parentId", "createdAt", "id"]);
    expect(cols).toContainEqual(["rootId"]);
    expect(cols).not.toContainEqual(["parentId"]);
  });

  it("keeps the replies when their root row is removed (root set to null)", async () => {
    await db.conn.query(`UPDATE "Contribution" SET "parentId" = NULL WHERE "parentId" = $1::uuid`, [root]);
    await db.conn.query(`DELETE FROM "Contribution" WHERE id = $1::uuid`, [root]);
    const rows = await db.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Contribution" WHERE id IN ($1::uuid, $2::uuid) AND "rootId" IS NULL`, [reply, deeper]);
    expect(rows[0]!.n).toBe(2);
  });
});
