import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261204110000_version_source on a database that already has a file article and an article an
 * admin added, each with versions: the file article's versions are marked FILE, the added one's
 * ADMIN, new versions default to FILE, the audit log takes ARTICLE_REVISE (still append-only),
 * and the loader's (articleId, source, number) index exists.
 */

const SOURCE = "20261204110000_version_source";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const [author, fileArticle, adminArticle] = [randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

const version = (articleId: string, number: number) =>
  db.conn.query(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, $3, 'h', 'T', '{"title":"T"}')`, [randomUUID(), articleId, number]);

describe(`migration ${SOURCE}`, () => {
  it("applies on top of a database with file and admin-added articles and their versions", async () => {
    await migrate(
      db.conn,
      all.filter((m) => m.name < SOURCE),
    );
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'U', 'x', now())`, [author]);
    await db.conn.query(`INSERT INTO "Article" (id, slug, origin) VALUES ($1::uuid, 'from-a-file', 'FILE'), ($2::uuid, 'added-here', 'ADMIN')`, [fileArticle, adminArticle]);
    await version(fileArticle, 1);
    await version(fileArticle, 2);
    await version(adminArticle, 1);
    const rest = all.filter((m) => m.name >= SOURCE);
    expect(rest[0]?.name).toBe(SOURCE);
    expect((await migrate(db.conn, all)).applied).toEqual(rest.map((m) => m.name));
    catalog = await readCatalog(db.conn);
  });

  it("marks existing versions by their article's origin, and new ones FILE by default", async () => {
    await version(fileArticle, 3);
    await db.conn.query(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter, source) VALUES ($1::uuid, $2::uuid, 4, 'h', 'T', '{"title":"T"}', 'ADMIN')`, [randomUUID(), fileArticle]);
    const rows = await db.conn.query<{ slug: string; number: number; source: string }>(
      `SELECT a.slug, v.number, v.source::text FROM "ArticleVersion" v JOIN "Article" a ON a.id = v."articleId" ORDER BY a.slug, v.number`,
    );
    expect(rows).toEqual([
      { slug: "added-here", number: 1, source: "ADMIN" },
      { slug: "from-a-file", number: 1, source: "FILE" },
      { slug: "from-a-file", number: 2, source: "FILE" },
      { slug: "from-a-file", number: 3, source: "FILE" },
      { slug: "from-a-file", number: 4, source: "ADMIN" },
    ]);
    await expect(db.conn.query(`UPDATE "ArticleVersion" SET source = 'ELSEWHERE' WHERE number = 1`)).rejects.toThrow();
  });

  it("lets the audit log record a revision, and keeps it append-only", async () => {
    const id = randomUUID();
    await db.conn.query(`INSERT INTO "ModerationLog" (id, "actorId", action, details) VALUES ($1::uuid, $2::uuid, 'ARTICLE_REVISE', '{"slug":"from-a-file"}')`, [id, author]);
    await expect(db.conn.query(`DELETE FROM "ModerationLog" WHERE id = $1::uuid`, [id])).rejects.toThrow();
    await expect(db.conn.query(`UPDATE "ModerationLog" SET reason = 'x' WHERE id = $1::uuid`, [id])).rejects.toThrow();
  });

  it("adds the index the loader's 'last version from the file' reads", () => {
    expect(catalog.indexes.find((i) => i.name === "ArticleVersion_articleId_source_number_idx")).toMatchObject({
      table: "ArticleVersion",
      columns: ["articleId", "source", "number"],
      unique: false,
    });
  });
});
