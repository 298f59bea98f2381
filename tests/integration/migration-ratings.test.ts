import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261202000000_ratings on a database that already has a contribution: applied after the
 * earlier migrations, it keeps the contribution (no score: "needs more ratings"), creates the
 * rating, run, score and history tables, and the database refuses a second rating by the same
 * rater, an unknown reason tag and a missing value.
 */

const RATINGS = "20261202000000_ratings";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const author = randomUUID();
const rater = randomUUID();
const contributionId = randomUUID();

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${RATINGS}`, () => {
  it("applies on top of a database that already has contributions", async () => {
    const before = all.filter((m) => m.name < RATINGS);
    expect(before.map((m) => m.name)).toContain("20261127020000_research_export");
    await migrate(db.conn, before);
    expect((await readCatalog(db.conn)).tables).not.toContain("Rating");

    for (const [id, email] of [
      [author, "author@test.invalid"],
      [rater, "rater@test.invalid"],
    ] as const) {
      await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, $2, 'U', 'x', now())`, [id, email]);
    }
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
    await db.conn.query(
      `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
       VALUES ($1::uuid, 'COUNTERPOINT', 'b', $2::uuid, $3::uuid, $4::uuid, 'p-1', 'Text', '', '', 0, 4, $5::uuid, now())`,
      [contributionId, articleId, versionId, paragraphId, author],
    );

    const rest = all.filter((m) => m.name >= RATINGS);
    expect(rest[0]?.name).toBe(RATINGS);
    expect((await migrate(db.conn, all)).applied).toEqual(rest.map((m) => m.name));
    catalog = await readCatalog(db.conn);
  });

  it("creates the tables, with one rating per rater per contribution", () => {
    expect(catalog.tables).toEqual(expect.arrayContaining(["Rating", "ScoringRun", "ContributionScore", "ContributionScoreHistory"]));
    const unique = catalog.indexes.filter((i) => i.table === "Rating" && i.unique && !i.primary).map((i) => i.columns);
    expect(unique).toContainEqual(["contributionId", "raterId"]);
    expect(catalog.enums.find((e) => e.name === "RatingValue")?.values).toEqual(["HELPFUL", "SOMEWHAT_HELPFUL", "NOT_HELPFUL"]);
    expect(catalog.enums.find((e) => e.name === "RankingStatus")?.values).toEqual(["NEEDS_MORE_RATINGS", "RATED", "HELPFUL"]);
  });

  it("leaves existing contributions unscored", async () => {
    const rows = await db.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ContributionScore"`);
    expect(rows[0]!.n).toBe(0);
  });

  it("takes a rating with known tags and refuses a duplicate, an unknown tag and no value", async () => {
    const insert = (tags: string[], value: string | null = "HELPFUL") =>
      db.conn.query(
        `INSERT INTO "Rating" (id, "contributionId", "raterId", value, tags, "updatedAt") VALUES ($1::uuid, $2::uuid, $3::uuid, $4::"RatingValue", $5::text[], now())`,
        [randomUUID(), contributionId, rater, value, tags],
      );
    await expect(insert(["DROP TABLE"])).rejects.toThrow(/Rating_tags_known/);
    await expect(insert([], null)).rejects.toThrow();
    await insert(["CLEAR", "CITES_GOOD_SOURCES"]);
    await expect(insert([])).rejects.toThrow(/Rating_contributionId_raterId_key/);
    const [row] = await db.conn.query<{ tags: string[] }>(`SELECT tags FROM "Rating"`);
    expect(row!.tags).toEqual(["CLEAR", "CITES_GOOD_SOURCES"]);
  });

  it("is not applied twice", async () => {
    const res = await migrate(db.conn, all);
    expect(res.applied).toEqual([]);
    expect(await readCatalog(db.conn)).toEqual(catalog);
  });
});
