import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261206100000_list_order on a database with scored contributions from before it: the score rows
 * get their article, list paragraph (null for a reply) and posting time from the contribution; a
 * score written afterwards without them gets them too; a contribution moved to another paragraph
 * moves its score's key; nothing else changes.
 */

const LIST_ORDER = "20261206100000_list_order";

let db: FreshDatabase;
let all: Migration[];
const [author, articleId, v1, p1, top, reply, run] = Array.from({ length: 7 }, () => randomUUID());

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => db.conn.query<T>(sql, params);
const keys = () =>
  q<{ contributionId: string; articleId: string | null; listAnchorId: string | null; postedAt: Date | null }>(
    `SELECT "contributionId"::text, "articleId"::text, "listAnchorId", "postedAt" FROM "ContributionScore" ORDER BY "listAnchorId" NULLS LAST`,
  );

async function contribution(id: string, parentId: string | null, createdAt: string): Promise<void> {
  await q(
    `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix",
       "startOffset", "endOffset", "authorId", "updatedAt", "createdAt", "parentId", "rootId", depth, "placedAnchorId", "placedStart", "placedEnd")
     VALUES ($1::uuid, 'ANNOTATION', 'Body', $2::uuid, $3::uuid, $4::uuid, 'p-1', 'Text', '', '', 0, 4, $5::uuid, now(), $6::timestamptz,
       $7::uuid, $7::uuid, $8, 'p-1', 0, 4)`,
    [id, articleId, v1, p1, author, createdAt, parentId, parentId ? 1 : 0],
  );
}

describe(`migration ${LIST_ORDER}`, () => {
  it("fills the list key of the score rows that exist, and keeps their scores", async () => {
    await migrate(db.conn, all.filter((m) => m.name < LIST_ORDER));
    await q(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, 'a@test.invalid', 'A', 'x', now())`, [author]);
    await q(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    await q(`INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{}')`, [v1, articleId]);
    await q(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [p1, v1]);
    await contribution(top!, null, "2026-12-01T10:00:00.123Z");
    await contribution(reply!, top!, "2026-12-01T11:00:00.456Z");
    await q(
      `INSERT INTO "ScoringRun" (id, "startedAt", "finishedAt", trigger, "ratingsCount", "ratingsFitted", "ratersFitted", "ratersExcluded", "itemsScored", "helpfulCount", iterations, converged, mu, rmse, parameters)
       VALUES ($1::uuid, now(), now(), 'manual', 0, 0, 0, 0, 2, 1, 1, true, 0, 0, '{}')`,
      [run],
    );
    for (const [id, status, i] of [[top, "HELPFUL", 0.5], [reply, "RATED", 0.1]] as const) {
      await q(
        `INSERT INTO "ContributionScore" ("contributionId", "runId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt")
         VALUES ($1::uuid, $2::uuid, $3, 0, 5, 5, $4::"RankingStatus", now())`,
        [id, run, i, status],
      );
    }
    const scores = await q(`SELECT "contributionId", intercept, status::text, "scoredAt" FROM "ContributionScore" ORDER BY intercept`);

    await migrate(db.conn, all);
    expect(await q(`SELECT "contributionId", intercept, status::text, "scoredAt" FROM "ContributionScore" ORDER BY intercept`)).toEqual(scores);
    expect(await keys()).toEqual([
      { contributionId: top, articleId, listAnchorId: "p-1", postedAt: new Date("2026-12-01T10:00:00.123Z") },
      { contributionId: reply, articleId, listAnchorId: null, postedAt: new Date("2026-12-01T11:00:00.456Z") },
    ]);
  });

  it("gives a score row written without the key the contribution's, and moves it with the contribution (paragraph and time)", async () => {
    await q(`DELETE FROM "ContributionScore"`);
    await q(
      `INSERT INTO "ContributionScore" ("contributionId", "runId", intercept, factor, "ratingCount", "fitRatingCount", status, "scoredAt")
       VALUES ($1::uuid, $2::uuid, 0.4, 0, 5, 5, 'HELPFUL', now())`,
      [top, run],
    );
    expect(await keys()).toEqual([{ contributionId: top, articleId, listAnchorId: "p-1", postedAt: new Date("2026-12-01T10:00:00.123Z") }]);
    await q(`UPDATE "Contribution" SET "placedAnchorId" = 'p-2' WHERE id = $1::uuid`, [top]);
    expect((await keys())[0]!.listAnchorId).toBe("p-2");
    await q(`UPDATE "Contribution" SET "placedAnchorId" = NULL, "placedStart" = NULL, "placedEnd" = NULL, "placedMethod" = 'ORPHANED' WHERE id = $1::uuid`, [top]);
    expect((await keys())[0]!.listAnchorId).toBeNull();
    await q(`UPDATE "Contribution" SET "createdAt" = '2026-12-01T09:00:00.000Z' WHERE id = $1::uuid`, [top]);
    expect((await keys())[0]!.postedAt).toEqual(new Date("2026-12-01T09:00:00.000Z"));
    await q(`UPDATE "Contribution" SET "createdAt" = '2026-12-01T10:00:00.123Z' WHERE id = $1::uuid`, [top]);
    // An update of the score (the ranking job's upsert, a test's) keeps the key.
    await q(`UPDATE "Contribution" SET "placedAnchorId" = 'p-1', "placedStart" = 0, "placedEnd" = 4, "placedMethod" = 'EXACT' WHERE id = $1::uuid`, [top]);
    await q(`UPDATE "ContributionScore" SET intercept = 0.45 WHERE "contributionId" = $1::uuid`, [top]);
    expect(await keys()).toEqual([{ contributionId: top, articleId, listAnchorId: "p-1", postedAt: new Date("2026-12-01T10:00:00.123Z") }]);
  });

  it("has the two list-order indexes", async () => {
    const rows = await q<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE indexname IN ('ContributionScore_list_order_idx', 'Contribution_articleId_placedAnchorId_parentId_createdAt_id_idx') ORDER BY 1`,
    );
    expect(rows.map((r) => r.indexname)).toEqual(["ContributionScore_list_order_idx", "Contribution_articleId_placedAnchorId_parentId_createdAt_id_idx"]);
  });
});
