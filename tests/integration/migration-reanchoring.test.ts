import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261202000001_reanchoring on a database that already has an article, a version, a paragraph
 * and a contribution: applied after the earlier migrations it keeps them as they were and adds
 * the per-version anchorings and the paragraph lineage, with the keys and indexes they need.
 */

const REANCHORING = "20261202000001_reanchoring";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const ids = { user: randomUUID(), article: randomUUID(), v1: randomUUID(), v2: randomUUID(), p1: randomUUID(), p2: randomUUID(), c: randomUUID() };

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${REANCHORING}`, () => {
  it("exists and comes after the research export migration", () => {
    const names = all.map((m) => m.name);
    expect(names).toContain(REANCHORING);
    expect(names.filter((n) => n < REANCHORING)).toEqual(expect.arrayContaining(["20261127000000_init", "20261127020000_research_export"]));
  });

  it("applies on top of a database that already has contributions", async () => {
    const before = all.filter((m) => m.name < REANCHORING);
    await migrate(db.conn, before);
    const pre = await readCatalog(db.conn);
    expect(pre.tables).not.toContain("ContributionAnchoring");
    expect(pre.tables).not.toContain("ParagraphLineage");
    const q = (sql: string, params: unknown[]) => db.conn.query(sql, params);
    await q(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'existing@test.invalid', 'E', 'x', now())`, [ids.user]);
    await q(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'existing-article')`, [ids.article]);
    for (const [v, n] of [[ids.v1, 1], [ids.v2, 2]] as const) {
      await q(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, $3, 'h', 'T', '{}'::jsonb)`, [v, ids.article, n]);
    }
    await q(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-old', 'Old text.')`, [ids.p1, ids.v1]);
    await q(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-new', 'New text.')`, [ids.p2, ids.v2]);
    await q(
      `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
       VALUES ($1::uuid, 'ANNOTATION', 'b', $2::uuid, $3::uuid, $4::uuid, 'p-old', 'Old', '', ' text.', 0, 3, $5::uuid, now())`,
      [ids.c, ids.article, ids.v1, ids.p1, ids.user],
    );

    const rest = all.filter((m) => m.name >= REANCHORING);
    expect(await migrate(db.conn, all)).toEqual({ applied: rest.map((m) => m.name), alreadyApplied: before.map((m) => m.name) });
    catalog = await readCatalog(db.conn);
    const [c] = await db.conn.query<{ anchorId: string; startOffset: number }>(`SELECT "anchorId", "startOffset" FROM "Contribution" WHERE id = $1::uuid`, [ids.c]);
    expect(c).toEqual({ anchorId: "p-old", startOffset: 0 });
  });

  it("creates the enums, tables, unique keys and indexes for every query", () => {
    const values = (name: string) => catalog.enums.find((e) => e.name === name)?.values;
    expect(values("AnchoringMethod")).toEqual(["EXACT", "FUZZY", "ORPHANED"]);
    expect(values("ParagraphChange")).toEqual(["UNCHANGED", "MOVED", "EDITED", "SPLIT", "MERGED", "DELETED"]);
    const indexes = (table: string) => catalog.indexes.filter((i) => i.table === table && !i.primary).map((i) => [i.columns.join(","), i.unique]);
    expect(indexes("ContributionAnchoring")).toEqual(
      expect.arrayContaining([
        ["contributionId,versionId", true],
        // (versionId, anchorId) and (versionId, method) until 20261205100000_reanchoring_writes made them one.
        ["versionId", false],
        ["paragraphId", false],
      ]),
    );
    expect(indexes("ParagraphLineage")).toEqual(
      expect.arrayContaining([
        ["fromParagraphId,toParagraphId", true],
        ["toParagraphId", false],
        ["toVersionId", false],
      ]),
    );
    const fk = (table: string, column: string) => catalog.foreignKeys.find((f) => f.table === table && f.columns.join() === column);
    expect(fk("ContributionAnchoring", "contributionId")).toMatchObject({ referencedTable: "Contribution", onDelete: "c" });
    expect(fk("ContributionAnchoring", "paragraphId")).toMatchObject({ referencedTable: "Paragraph", onDelete: "c" });
    expect(fk("ParagraphLineage", "fromParagraphId")).toMatchObject({ referencedTable: "Paragraph", onDelete: "c" });
  });

  it("stores an anchoring and an orphan per contribution and version, once each", async () => {
    const q = (sql: string, params: unknown[]) => db.conn.query(sql, params);
    await q(
      `INSERT INTO "ParagraphLineage" (id, "fromParagraphId", "toParagraphId", "toVersionId", kind, similarity) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, 'EDITED', 0.8)`,
      [randomUUID(), ids.p1, ids.p2, ids.v2],
    );
    await q(
      `INSERT INTO "ContributionAnchoring" (id, "contributionId", "versionId", "paragraphId", "anchorId", "startOffset", "endOffset", "quoteExact", "quotePrefix", "quoteSuffix", method, score, "sinceVersion")
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, 'p-new', 0, 3, 'New', '', ' text.', 'FUZZY', 0.9, 2)`,
      [randomUUID(), ids.c, ids.v2, ids.p2],
    );
    await expect(
      q(`INSERT INTO "ContributionAnchoring" (id, "contributionId", "versionId", method, score, "sinceVersion") VALUES ($1::uuid, $2::uuid, $3::uuid, 'ORPHANED', 0, 2)`, [randomUUID(), ids.c, ids.v2]),
    ).rejects.toThrow();
    await q(`DELETE FROM "Contribution" WHERE id = $1::uuid`, [ids.c]);
    const [n] = await db.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ContributionAnchoring"`, []);
    expect(n!.n).toBe(0);
  });

  it("is not applied twice", async () => {
    const res = await migrate(db.conn, all);
    expect(res.applied).toEqual([]);
  });
});
