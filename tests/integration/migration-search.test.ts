import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203150000_contribution_search on a database that already has contributions: applied after
 * the earlier migrations, it fills the generated tsvector for every existing row (body, source
 * title and quote, 'english' stemming, weights A/B/C), keeps it current on later writes, and
 * indexes it with GIN.
 */

const SEARCH = "20261203150000_contribution_search";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const author = randomUUID();
const [annotation, source] = [randomUUID(), randomUUID()];

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

const vector = async (id: string) =>
  (await db.conn.query<{ v: string }>(`SELECT search::text AS v FROM "Contribution" WHERE id = $1::uuid`, [id]))[0]!.v;

describe(`migration ${SEARCH}`, () => {
  it("applies on top of a database that already has contributions", async () => {
    const before = all.filter((m) => m.name < SEARCH);
    await migrate(db.conn, before);
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'U', 'x', now())`, [author]);
    const [articleId, versionId, paragraphId] = [randomUUID(), randomUUID(), randomUUID()];
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    await db.conn.query(
      `INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{}')`,
      [versionId, articleId],
    );
    await db.conn.query(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [paragraphId, versionId]);
    for (const [id, kind, body, title, quote] of [
      [annotation, "ANNOTATION", "Exiles were running from the draft", null, null],
      [source, "SOURCE", "See the report", "Sanctions on emigrants", "banks closed accounts"],
    ] as const) {
      await db.conn.query(
        `INSERT INTO "Contribution" (id, kind, body, "sourceUrl", "sourceTitle", "sourceQuote", "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
         VALUES ($1::uuid, $2::"ContributionKind", $3, $4, $5, $6, $7::uuid, $8::uuid, $9::uuid, 'p-1', 'Text', '', '', 0, 4, $10::uuid, now())`,
        [id, kind, body, title ? "https://example.org/r" : null, title, quote, articleId, versionId, paragraphId, author],
      );
    }
    const rest = all.filter((m) => m.name >= SEARCH);
    expect(rest[0]?.name).toBe(SEARCH);
    expect((await migrate(db.conn, all)).applied).toEqual(rest.map((m) => m.name));
    catalog = await readCatalog(db.conn);
  });

  it("fills the vector of every existing row, stemmed in English and weighted body A, title B, quote C", async () => {
    expect(await vector(annotation)).toBe("'draft':6A 'exil':1A 'run':3A");
    expect(await vector(source)).toBe("'account':9C 'bank':7C 'close':8C 'emigr':6B 'report':3A 'sanction':4B 'see':1A");
  });

  it("keeps the vector current when the text changes (the client never writes it)", async () => {
    await db.conn.query(`UPDATE "Contribution" SET body = 'Hostility towards émigrés' WHERE id = $1::uuid`, [annotation]);
    expect(await vector(annotation)).toBe("'hostil':1A 'toward':2A 'émigré':3A");
    await expect(db.conn.query(`UPDATE "Contribution" SET search = NULL WHERE id = $1::uuid`, [annotation])).rejects.toThrow(/can only be updated to DEFAULT/);
  });

  it("is a stored generated tsvector column with a GIN index", () => {
    expect(catalog.columns.find((c) => c.table === "Contribution" && c.name === "search")).toMatchObject({
      dataType: "tsvector",
      nullable: true,
      generated: expect.stringContaining("to_tsvector('english'::regconfig"),
    });
    expect(catalog.indexes.find((i) => i.name === "Contribution_search_idx")).toMatchObject({ table: "Contribution", columns: ["search"], method: "gin" });
  });
});
