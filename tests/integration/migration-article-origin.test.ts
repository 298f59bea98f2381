import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203151000_article_origin on a database that already has an article and contributions:
 * applied after the earlier migrations, it marks the existing article as loaded from a file,
 * new articles default to FILE too, an ADMIN one can be stored, the audit log takes the new
 * ARTICLE_CREATE action (its append-only trigger intact), and the home page's count index exists.
 */

const ORIGIN = "20261203151000_article_origin";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const [author, articleId, versionId, paragraphId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${ORIGIN}`, () => {
  it("applies on top of a database that already has an article with contributions", async () => {
    await migrate(
      db.conn,
      all.filter((m) => m.name < ORIGIN),
    );
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'U', 'x', now())`, [author]);
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'from-a-file')`, [articleId]);
    await db.conn.query(
      `INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{"title":"T"}')`,
      [versionId, articleId],
    );
    await db.conn.query(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [paragraphId, versionId]);
    for (const status of ["PUBLISHED", "PUBLISHED", "HIDDEN"]) {
      await db.conn.query(
        `INSERT INTO "Contribution" (id, kind, status, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
         VALUES ($1::uuid, 'ANNOTATION', $2::"ContributionStatus", 'b', $3::uuid, $4::uuid, $5::uuid, 'p-1', 'Text', '', '', 0, 4, $6::uuid, now())`,
        [randomUUID(), status, articleId, versionId, paragraphId, author],
      );
    }
    const rest = all.filter((m) => m.name >= ORIGIN);
    expect(rest[0]?.name).toBe(ORIGIN);
    expect((await migrate(db.conn, all)).applied).toEqual(rest.map((m) => m.name));
    catalog = await readCatalog(db.conn);
  });

  it("marks the existing article, and new ones by default, as coming from a file", async () => {
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'later-file')`, [randomUUID()]);
    await db.conn.query(`INSERT INTO "Article" (id, slug, origin) VALUES ($1::uuid, 'added-by-admin', 'ADMIN')`, [randomUUID()]);
    const rows = await db.conn.query<{ slug: string; origin: string }>(`SELECT slug, origin::text FROM "Article" ORDER BY slug`);
    expect(rows).toEqual([
      { slug: "added-by-admin", origin: "ADMIN" },
      { slug: "from-a-file", origin: "FILE" },
      { slug: "later-file", origin: "FILE" },
    ]);
    await expect(db.conn.query(`INSERT INTO "Article" (id, slug, origin) VALUES ($1::uuid, 'bad', 'ELSEWHERE')`, [randomUUID()])).rejects.toThrow();
  });

  it("lets the audit log record an article added, and keeps it append-only", async () => {
    const id = randomUUID();
    await db.conn.query(`INSERT INTO "ModerationLog" (id, "actorId", action, details) VALUES ($1::uuid, $2::uuid, 'ARTICLE_CREATE', '{"slug":"added-by-admin"}')`, [id, author]);
    await expect(db.conn.query(`DELETE FROM "ModerationLog" WHERE id = $1::uuid`, [id])).rejects.toThrow();
    const kept = await db.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ModerationLog" WHERE action = 'ARTICLE_CREATE'`);
    expect(kept[0]!.n).toBe(1);
  });

  it("adds the index the home page's grouped count reads, and leaves the contributions as they were", async () => {
    expect(catalog.indexes.find((i) => i.name === "Contribution_status_deletedAt_articleId_kind_idx")).toMatchObject({
      table: "Contribution",
      columns: ["status", "deletedAt", "articleId", "kind"],
      unique: false,
    });
    const counts = await db.conn.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "Contribution" GROUP BY 1 ORDER BY 1`);
    expect(counts).toEqual([
      { status: "HIDDEN", n: 1 },
      { status: "PUBLISHED", n: 2 },
    ]);
  });
});
