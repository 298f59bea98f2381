import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261204120000_current_placement on a database with an article at version 2 and contributions
 * from both versions: every contribution gets its place on the current version — its own claim
 * when written on it; the latest re-anchoring when there is one (exact, fuzzy or orphaned); a
 * reply that was never re-anchored follows its thread's root; an older top-level one that was
 * never re-anchored keeps its claim only on the very same paragraph, else it is an orphan. The
 * author's own claim is never changed. Afterwards a row inserted without a placement sits on its
 * own claim, and live events name the current paragraph.
 */

const PLACEMENT = "20261204120000_current_placement";

let db: FreshDatabase;
let all: Migration[];
const id = () => randomUUID();
const [author, article, v1, v2] = [id(), id(), id(), id()];
const [p1v1, p2v1, p1v2, p2v2] = [id(), id(), id(), id()];
const c = { onV2: id(), exactV1: id(), fuzzy: id(), orphan: id(), staleReply: id(), staleSame: id(), staleChanged: id() };

interface Placed {
  id: string;
  placedAnchorId: string | null;
  placedStart: number | null;
  placedEnd: number | null;
  placedExact: string | null;
  placedMethod: string;
  placedScore: number;
  placedSince: number;
  anchorId: string;
  startOffset: number;
  quoteExact: string;
}

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

async function contribution(cid: string, version: string, paragraph: string, anchor: string, start: number, end: number, quote: string, parent: string | null = null) {
  await db.conn.query(
    `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "parentId", "rootId", depth, "updatedAt")
     VALUES ($1::uuid, 'ANNOTATION', 'Body', $2::uuid, $3::uuid, $4::uuid, $5, $6, '', '', $7, $8, $9::uuid, $10::uuid, $10::uuid, $11, now())`,
    [cid, article, version, paragraph, anchor, quote, start, end, author, parent, parent ? 1 : 0],
  );
}

async function anchoring(cid: string, method: string, score: number, since: number, at: { paragraph: string; anchor: string; start: number; end: number; exact: string } | null) {
  await db.conn.query(
    `INSERT INTO "ContributionAnchoring" (id, "contributionId", "versionId", "paragraphId", "anchorId", "startOffset", "endOffset", "quoteExact", "quotePrefix", "quoteSuffix", method, score, "sinceVersion")
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8, $9, $10, $11::"AnchoringMethod", $12, $13)`,
    [id(), cid, v2, at?.paragraph ?? null, at?.anchor ?? null, at?.start ?? null, at?.end ?? null, at?.exact ?? null, at ? "" : null, at ? "" : null, method, score, since],
  );
}

const placed = async () =>
  new Map(
    (
      await db.conn.query<Placed>(
        `SELECT id::text, "placedAnchorId", "placedStart", "placedEnd", "placedExact", "placedMethod"::text, "placedScore", "placedSince", "anchorId", "startOffset", "quoteExact" FROM "Contribution"`,
      )
    ).map((r) => [r.id, r]),
  );

describe(`migration ${PLACEMENT}`, () => {
  it("applies on top of an article at version 2 with contributions from both versions", async () => {
    await migrate(db.conn, all.filter((m) => m.name < PLACEMENT));
    await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'A', 'x', now())`, [author]);
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [article]);
    for (const [v, n] of [[v1, 1], [v2, 2]] as const) {
      await db.conn.query(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, $3, $4, 'T', '{}')`, [v, article, n, `h${n}`]);
    }
    // Paragraph 1 is the same on both versions (same anchor id); paragraph 2 was edited.
    await db.conn.query(
      `INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES
        ($1::uuid, $5::uuid, 0, 'p-same', 'The same words.'), ($2::uuid, $5::uuid, 1, 'p-old', 'Only 12 percent was spent.'),
        ($3::uuid, $6::uuid, 0, 'p-same', 'The same words.'), ($4::uuid, $6::uuid, 1, 'p-new', 'Only 14 percent was spent.')`,
      [p1v1, p2v1, p1v2, p2v2, v1, v2],
    );
    await contribution(c.onV2, v2, p2v2, "p-new", 0, 15, "Only 14 percent");
    await contribution(c.exactV1, v1, p1v1, "p-same", 4, 9, "same ");
    await anchoring(c.exactV1, "EXACT", 1, 1, { paragraph: p1v2, anchor: "p-same", start: 4, end: 9, exact: "same " });
    await contribution(c.fuzzy, v1, p2v1, "p-old", 0, 15, "Only 12 percent");
    await anchoring(c.fuzzy, "FUZZY", 0.91, 2, { paragraph: p2v2, anchor: "p-new", start: 0, end: 15, exact: "Only 14 percent" });
    await contribution(c.orphan, v1, p2v1, "p-old", 16, 25, "was spent");
    await anchoring(c.orphan, "ORPHANED", 0.4, 2, null);
    // Written on version 1 after version 2 was loaded (no anchoring row): a reply to the fuzzy one,
    // one on the unchanged paragraph, one on the edited paragraph.
    await contribution(c.staleReply, v1, p2v1, "p-old", 0, 15, "Only 12 percent", c.fuzzy);
    await contribution(c.staleSame, v1, p1v1, "p-same", 0, 3, "The");
    await contribution(c.staleChanged, v1, p2v1, "p-old", 5, 7, "12");
    await migrate(db.conn, all);
  });

  it("places every contribution on the current version and leaves the author's claim alone", async () => {
    const p = await placed();
    expect(p.get(c.onV2)).toMatchObject({ placedAnchorId: "p-new", placedStart: 0, placedEnd: 15, placedExact: "Only 14 percent", placedMethod: "EXACT", placedScore: 1, placedSince: 2 });
    expect(p.get(c.exactV1)).toMatchObject({ placedAnchorId: "p-same", placedStart: 4, placedMethod: "EXACT", placedSince: 1 });
    expect(p.get(c.fuzzy)).toMatchObject({ placedAnchorId: "p-new", placedExact: "Only 14 percent", placedMethod: "FUZZY", placedScore: 0.91, placedSince: 2 });
    expect(p.get(c.fuzzy)).toMatchObject({ anchorId: "p-old", startOffset: 0, quoteExact: "Only 12 percent" });
    expect(p.get(c.orphan)).toMatchObject({ placedAnchorId: null, placedStart: null, placedExact: null, placedMethod: "ORPHANED", placedScore: 0.4, placedSince: 2 });
    expect(p.get(c.orphan)).toMatchObject({ anchorId: "p-old", startOffset: 16, quoteExact: "was spent" });
    expect(p.get(c.staleReply)).toMatchObject({ placedAnchorId: "p-new", placedExact: "Only 14 percent", placedMethod: "FUZZY", placedSince: 2 });
    expect(p.get(c.staleSame)).toMatchObject({ placedAnchorId: "p-same", placedStart: 0, placedEnd: 3, placedMethod: "EXACT", placedSince: 1 });
    expect(p.get(c.staleChanged)).toMatchObject({ placedAnchorId: null, placedMethod: "ORPHANED", placedSince: 2 });
  });

  it("indexes the lists, counts and orphans on the placement", async () => {
    const names = (await readCatalog(db.conn)).indexes.map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Contribution_articleId_placedAnchorId_status_createdAt_id_idx",
        "Contribution_articleId_status_placedAnchorId_kind_idx",
        "Contribution_articleId_placedMethod_createdAt_id_idx",
      ]),
    );
    expect(names).not.toContain("Contribution_articleId_anchorId_status_createdAt_id_idx");
  });

  it("places a row inserted without a placement on its own claim, and keeps an explicit one", async () => {
    const raw = id();
    await contribution(raw, v2, p1v2, "p-same", 4, 9, "same ");
    expect((await placed()).get(raw)).toMatchObject({ placedAnchorId: "p-same", placedStart: 4, placedEnd: 9, placedExact: "same ", placedMethod: "EXACT", placedSince: 2 });
    const explicit = id();
    await db.conn.query(
      `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt", "placedMethod", "placedScore", "placedSince")
       VALUES ($1::uuid, 'ANNOTATION', 'Body', $2::uuid, $3::uuid, $4::uuid, 'p-old', 'was', '', '', 16, 19, $5::uuid, now(), 'ORPHANED', 0, 2)`,
      [explicit, article, v1, p2v1, author],
    );
    expect((await placed()).get(explicit)).toMatchObject({ placedAnchorId: null, placedMethod: "ORPHANED" });
  });

  it("names the current paragraph in live events", async () => {
    await db.conn.query(`UPDATE "Contribution" SET body = 'Edited' WHERE id = $1::uuid`, [c.fuzzy]);
    await db.conn.query(`UPDATE "Contribution" SET body = 'Edited' WHERE id = $1::uuid`, [c.orphan]);
    const rows = await db.conn.query<{ contributionId: string; anchorId: string }>(`SELECT "contributionId"::text, "anchorId" FROM "ArticleEvent" WHERE type = 'changed' ORDER BY id`);
    expect(rows).toEqual([
      { contributionId: c.fuzzy, anchorId: "p-new" },
      { contributionId: c.orphan, anchorId: "p-old" },
    ]);
  });
});
