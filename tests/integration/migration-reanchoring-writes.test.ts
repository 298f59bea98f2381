import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261205100000_reanchoring_writes on a database with a contribution and an anchoring from before
 * it: the rows stay as they were; the live-event trigger is split into an insert trigger and an update
 * trigger that fires only for the changes it records (so moving a placement does not call it at all),
 * and the events written are the same as before; ContributionAnchoring has one (versionId) index in
 * place of (versionId, anchorId) and (versionId, method).
 */

const WRITES = "20261205100000_reanchoring_writes";

let db: FreshDatabase;
let all: Migration[];
const [author, articleId, v1, v2, p1, p2, contributionId, anchoringId] = Array.from({ length: 8 }, () => randomUUID());

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

const q = (sql: string, params: unknown[] = []) => db.conn.query(sql, params);
const events = () => db.conn.query<{ type: string; status: string; anchorId: string }>(`SELECT type, status::text, "anchorId" FROM "ArticleEvent" ORDER BY id`);

/** Trigger calls so far, as PostgreSQL counts them (track_functions = all for this session). */
async function triggerCalls(): Promise<number> {
  const [row] = await db.conn.query<{ calls: string | null }>(
    `SELECT (SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'contribution_article_event')::text AS calls`,
  );
  return Number(row?.calls ?? 0);
}

describe(`migration ${WRITES}`, () => {
  it("applies on top of a database with a re-anchored contribution and keeps it as it was", async () => {
    await migrate(db.conn, all.filter((m) => m.name < WRITES));
    await q(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'A', 'x', now())`, [author]);
    await q(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    for (const [v, n] of [[v1, 1], [v2, 2]] as const) {
      await q(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, $3, 'h', 'T', '{}')`, [v, articleId, n]);
    }
    await q(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [p1, v1]);
    await q(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-2', 'The text')`, [p2, v2]);
    await q(
      `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
       VALUES ($1::uuid, 'ANNOTATION', 'Before', $2::uuid, $3::uuid, $4::uuid, 'p-1', 'Text', '', '', 0, 4, $5::uuid, now())`,
      [contributionId, articleId, v1, p1, author],
    );
    await q(
      `INSERT INTO "ContributionAnchoring" (id, "contributionId", "versionId", "paragraphId", "anchorId", "startOffset", "endOffset", "quoteExact", "quotePrefix", "quoteSuffix", method, score, "sinceVersion")
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, 'p-2', 4, 8, 'text', 'The ', '', 'FUZZY', 0.9, 2)`,
      [anchoringId, contributionId, v2, p2],
    );
    const before = await q(`SELECT * FROM "ContributionAnchoring" ORDER BY id`);
    const eventsBefore = await events();
    expect(eventsBefore).toEqual([{ type: "posted", status: "PUBLISHED", anchorId: "p-1" }]);

    await migrate(db.conn, all);
    expect(await q(`SELECT * FROM "ContributionAnchoring" ORDER BY id`)).toEqual(before);
    expect(await events()).toEqual(eventsBefore);
  });

  it("has one index on the anchorings' version, and the rest as before", async () => {
    const catalog = await readCatalog(db.conn);
    const indexes = catalog.indexes.filter((i) => i.table === "ContributionAnchoring" && !i.primary).map((i) => [i.columns.join(","), i.unique]);
    expect(indexes.sort()).toEqual(
      [
        ["contributionId,versionId", true],
        ["paragraphId", false],
        ["versionId", false],
      ].sort(),
    );
  });

  it("splits the live-event trigger: every insert, and only the updates it records", async () => {
    const triggers = await q(
      `SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = '"Contribution"'::regclass AND NOT tgisinternal AND tgname LIKE 'Contribution_article_event%' ORDER BY tgname`,
    );
    expect(triggers.map((t) => t.tgname)).toEqual(["Contribution_article_event", "Contribution_article_event_update"]);
    expect(String(triggers[0]!.def)).toMatch(/AFTER INSERT ON public\."Contribution" FOR EACH ROW EXECUTE FUNCTION contribution_article_event\(\)/);
    expect(String(triggers[1]!.def)).toMatch(/AFTER UPDATE ON public\."Contribution" FOR EACH ROW WHEN \(/);
  });

  it("does not call the trigger when only the placement (or a count) changes, and records the rest as before", async () => {
    await q(`SET track_functions = 'all'`);
    try {
      await q("BEGIN");
      const calls0 = await triggerCalls();
      // What re-anchoring writes: a new placement, nothing a reader of the margin would be told of.
      await q(
        `UPDATE "Contribution" SET "placedAnchorId" = 'p-2', "placedStart" = 4, "placedEnd" = 8, "placedExact" = 'text', "placedPrefix" = 'The ',
           "placedSuffix" = '', "placedMethod" = 'FUZZY', "placedScore" = 0.9, "placedSince" = 2 WHERE id = $1::uuid`,
        [contributionId],
      );
      await q(`UPDATE "Contribution" SET "openFlagCount" = 1, "queuedAt" = now() WHERE id = $1::uuid`, [contributionId]);
      expect(await triggerCalls()).toBe(calls0);
      await q(`UPDATE "Contribution" SET body = 'Edited', version = version + 1 WHERE id = $1::uuid`, [contributionId]);
      await q(`UPDATE "Contribution" SET "sourceTitle" = 'A title' WHERE id = $1::uuid`, [contributionId]);
      await q(`UPDATE "Contribution" SET status = 'HIDDEN' WHERE id = $1::uuid`, [contributionId]);
      await q(`UPDATE "Contribution" SET status = 'PUBLISHED' WHERE id = $1::uuid`, [contributionId]);
      await q(`UPDATE "Contribution" SET "deletedAt" = now() WHERE id = $1::uuid`, [contributionId]);
      // Undeleting alone is not an event (as before: the function returned without writing).
      await q(`UPDATE "Contribution" SET "deletedAt" = NULL WHERE id = $1::uuid`, [contributionId]);
      expect(await triggerCalls()).toBe(calls0 + 5);
      await q("COMMIT");
    } catch (err) {
      await q("ROLLBACK");
      throw err;
    } finally {
      await q(`RESET track_functions`);
    }
    expect((await events()).slice(1)).toEqual([
      { type: "changed", status: "PUBLISHED", anchorId: "p-2" },
      { type: "changed", status: "PUBLISHED", anchorId: "p-2" },
      { type: "removed", status: "HIDDEN", anchorId: "p-2" },
      { type: "posted", status: "PUBLISHED", anchorId: "p-2" },
      { type: "removed", status: "PUBLISHED", anchorId: "p-2" },
    ]);
  });
});
