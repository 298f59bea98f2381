import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261207100000_reply_counts on a database with threads from before it: every contribution gets the
 * counts a signed-out reader sees (direct replies readable; direct replies shown, placeholders with a
 * readable reply included), computed from the rows; the triggers then keep them as rows are inserted,
 * published, hidden, deleted (softly and for good) and moved; nothing else changes.
 */

const REPLY_COUNTS = "20261207100000_reply_counts";

let db: FreshDatabase;
let all: Migration[];
const [author, articleId, v1, p1] = Array.from({ length: 4 }, () => randomUUID());
// root ← a (published) ← a1 (published), a2 (pending)
//      ← b (hidden)    ← b1 (published)        b is a placeholder: shown, not readable
//      ← c (deleted)                           not shown
//      ← d (published, deleted)                not shown
const [root, a, a1, a2, b, b1, c, d] = Array.from({ length: 8 }, () => randomUUID());

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => db.conn.query<T>(sql, params);

async function contribution(id: string, parentId: string | null, status: string, deleted = false, rootId = parentId ? root : null): Promise<void> {
  await q(
    `INSERT INTO "Contribution" (id, kind, status, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix",
       "startOffset", "endOffset", "authorId", "updatedAt", "parentId", "rootId", depth, "deletedAt", "placedAnchorId", "placedStart", "placedEnd")
     VALUES ($1::uuid, 'ANNOTATION', $2::"ContributionStatus", 'Body', $3::uuid, $4::uuid, $5::uuid, 'p-1', 'Text', '', '', 0, 4, $6::uuid, now(),
       $7::uuid, $8::uuid, $9, $10::timestamptz, 'p-1', 0, 4)`,
    [id, status, articleId, v1, p1, author, parentId, rootId, parentId ? 1 : 0, deleted ? new Date() : null],
  );
}

const counts = async () =>
  new Map(
    (
      await q<{ id: string; publicReplyCount: number; shownReplyCount: number }>(
        `SELECT id::text, "publicReplyCount", "shownReplyCount" FROM "Contribution"`,
      )
    ).map((r) => [r.id, [r.publicReplyCount, r.shownReplyCount]]),
  );

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${REPLY_COUNTS}`, () => {
  it("counts the replies of the threads that exist, as a signed-out reader is shown them", async () => {
    await migrate(db.conn, all.filter((m) => m.name < REPLY_COUNTS));
    await q(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'A', 'x', now())`, [author]);
    await q(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    await q(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{}')`, [v1, articleId]);
    await q(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [p1, v1]);
    await contribution(root!, null, "PUBLISHED");
    await contribution(a!, root!, "PUBLISHED");
    await contribution(a1!, a!, "PUBLISHED");
    await contribution(a2!, a!, "PENDING");
    await contribution(b!, root!, "HIDDEN");
    await contribution(b1!, b!, "PUBLISHED");
    await contribution(c!, root!, "PUBLISHED", true);
    await contribution(d!, root!, "PENDING");
    const before = await q(`SELECT id, status, "deletedAt", "updatedAt", body FROM "Contribution" ORDER BY id`);

    await migrate(db.conn, all.filter((m) => m.name <= REPLY_COUNTS));

    const n = await counts();
    expect(n.get(root!)).toEqual([1, 2]); // a readable; b shown as a placeholder; c deleted; d pending
    expect(n.get(a!)).toEqual([1, 1]);
    expect(n.get(b!)).toEqual([1, 1]);
    for (const leaf of [a1, a2, b1, c, d]) expect(n.get(leaf!)).toEqual([0, 0]);
    expect(await q(`SELECT id, status, "deletedAt", "updatedAt", body FROM "Contribution" ORDER BY id`)).toEqual(before);
  });

  it("keeps the counts as replies are written, moderated, deleted and removed", async () => {
    // A new published reply under the placeholder b.
    const b2 = randomUUID();
    await contribution(b2, b!, "PUBLISHED");
    expect((await counts()).get(b!)).toEqual([2, 2]);
    // b1 and b2 hidden: b has no readable reply left, so the root no longer shows it.
    await q(`UPDATE "Contribution" SET status = 'HIDDEN' WHERE id = ANY($1::uuid[])`, [[b1, b2]]);
    let n = await counts();
    expect(n.get(b!)).toEqual([0, 0]);
    expect(n.get(root!)).toEqual([1, 1]);
    // d published: readable and shown.
    await q(`UPDATE "Contribution" SET status = 'PUBLISHED' WHERE id = $1::uuid`, [d]);
    expect((await counts()).get(root!)).toEqual([2, 2]);
    // a deleted by its author: a placeholder now (a1 is readable), shown but not readable.
    await q(`UPDATE "Contribution" SET "deletedAt" = now() WHERE id = $1::uuid`, [a]);
    expect((await counts()).get(root!)).toEqual([1, 2]);
    // a1 removed for good: a is no longer shown.
    await q(`DELETE FROM "Contribution" WHERE id = $1::uuid`, [a1]);
    n = await counts();
    expect(n.get(a!)).toEqual([0, 0]);
    expect(n.get(root!)).toEqual([1, 1]);
    // d removed for good: nothing readable or shown is left under the root.
    await q(`DELETE FROM "Contribution" WHERE id = $1::uuid`, [d]);
    expect((await counts()).get(root!)).toEqual([0, 0]);
    // A reply moved to another parent takes its count along.
    await q(`UPDATE "Contribution" SET status = 'PUBLISHED' WHERE id = $1::uuid`, [b1]);
    n = await counts();
    expect(n.get(b!)).toEqual([1, 1]);
    expect(n.get(root!)).toEqual([0, 1]);
    await q(`UPDATE "Contribution" SET "parentId" = $2::uuid WHERE id = $1::uuid`, [b1, a]);
    n = await counts();
    expect(n.get(b!)).toEqual([0, 0]);
    expect(n.get(a!)).toEqual([1, 1]);
    expect(n.get(root!)).toEqual([0, 1]); // a is shown again (a placeholder with a readable reply); b no longer
    // The root removed for good: its replies lose their parent (ON DELETE SET NULL), nothing fails.
    await q(`DELETE FROM "Contribution" WHERE id = $1::uuid`, [root]);
    expect(await q(`SELECT count(*)::int AS n FROM "Contribution" WHERE "parentId" IS NULL AND id = ANY($1::uuid[])`, [[a, b]])).toEqual([{ n: 2 }]);
  });

  it("does not touch a row's other columns or fire a live event when only a count changes", async () => {
    const events = async () => Number((await q<{ n: string }>(`SELECT count(*)::text AS n FROM "ArticleEvent"`))[0]!.n);
    const before = await q(`SELECT "updatedAt", version FROM "Contribution" WHERE id = $1::uuid`, [a]);
    const e0 = await events();
    await contribution(randomUUID(), a!, "PUBLISHED", false, a!); // one event: the reply itself
    expect(await events()).toBe(e0 + 1);
    expect(await q(`SELECT "updatedAt", version FROM "Contribution" WHERE id = $1::uuid`, [a])).toEqual(before);
  });
});
