import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contributionSelect } from "@/lib/annotations/dto";
import { withRatings } from "@/lib/annotations/list-contributions";
import { shownSql } from "@/lib/annotations/threads";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { longParagraph, testData, type LoadedArticle } from "./support/fixtures";

/**
 * The stored reply counts (migration 20261207100000, docs/decisions/0052-stored-reply-counts.md)
 * against the definition the lists filter by (threads.ts, shownSql): after any sequence of writes —
 * replies posted by different authors in any status, moderated, deleted by their authors, restored,
 * removed for good, moved under another parent — every contribution's "N replies", for a signed-out
 * reader and for each author, is the number of its direct replies that reader is shown.
 */

const seedEnv = process.env.FAST_CHECK_SEED;
const seed = seedEnv === "random" ? undefined : seedEnv ? Number(seedEnv) : 20261207;

type Status = "PUBLISHED" | "PENDING" | "HIDDEN" | "REJECTED";
const STATUSES: Status[] = ["PUBLISHED", "PUBLISHED", "PUBLISHED", "PENDING", "HIDDEN", "REJECTED"];

type Op =
  | { op: "post"; parent: number; author: number; status: Status }
  | { op: "status"; row: number; status: Status }
  | { op: "delete"; row: number }
  | { op: "restore"; row: number }
  | { op: "remove"; row: number }
  | { op: "move"; row: number; parent: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("post" as const), parent: fc.nat(), author: fc.nat(2), status: fc.constantFrom(...STATUSES) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("status" as const), row: fc.nat(), status: fc.constantFrom(...STATUSES) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), row: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("restore" as const), row: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), row: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("move" as const), row: fc.nat(), parent: fc.nat() }) },
);

let db: Db;
let data: ReturnType<typeof testData>;
let article: LoadedArticle;
let authors: CurrentUser[];

beforeAll(async () => {
  db = await getDb();
  data = testData(db);
  article = await data.article([longParagraph()]);
  authors = [await data.user({ name: "Alice" }), await data.user({ name: "Bob" }), await data.user({ name: "Carol" })];
});

afterAll(async () => {
  await data?.cleanup();
});

async function post(id: string, parentId: string | null, authorId: string, status: Status): Promise<void> {
  const p = article.paragraphs[0]!;
  await db.$executeRaw`
    INSERT INTO "Contribution" (id, kind, status, body, "articleId", "articleVersionId", "paragraphId", "anchorId",
      "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "wholeParagraph", "parentId", "rootId", depth, "authorId", "updatedAt")
    VALUES (${id}::uuid, 'ANNOTATION', ${status}::"ContributionStatus", 'Body', ${article.articleId}::uuid, ${article.versionId}::uuid,
      ${p.id}::uuid, ${p.anchorId}, ${p.text.slice(0, 10)}, '', ${p.text.slice(10, 42)}, 0, 10, false, ${parentId}::uuid, NULL, ${parentId ? 1 : 0},
      ${authorId}::uuid, now())`;
}

async function apply(ids: string[], o: Op): Promise<void> {
  const pick = (n: number) => ids[n % ids.length]!;
  switch (o.op) {
    case "post": {
      const id = randomUUID();
      await post(id, ids.length && o.parent % 4 !== 0 ? pick(o.parent) : null, authors[o.author]!.id, o.status);
      ids.push(id);
      return;
    }
    case "status":
      await db.$executeRaw`UPDATE "Contribution" SET status = ${o.status}::"ContributionStatus" WHERE id = ${pick(o.row)}::uuid`;
      return;
    case "delete":
      await db.$executeRaw`UPDATE "Contribution" SET "deletedAt" = now() WHERE id = ${pick(o.row)}::uuid AND "deletedAt" IS NULL`;
      return;
    case "restore":
      await db.$executeRaw`UPDATE "Contribution" SET "deletedAt" = NULL WHERE id = ${pick(o.row)}::uuid`;
      return;
    case "remove": {
      const id = pick(o.row);
      await db.$executeRaw`DELETE FROM "Contribution" WHERE id = ${id}::uuid`;
      ids.splice(ids.indexOf(id), 1);
      return;
    }
    case "move": {
      const id = pick(o.row);
      const to = pick(o.parent);
      // Not under itself or its own replies (a cycle is not a thread).
      const below = await db.$queryRaw<{ id: string }[]>`
        WITH RECURSIVE d(id) AS (SELECT ${id}::uuid UNION ALL SELECT c.id FROM "Contribution" c JOIN d ON c."parentId" = d.id)
        SELECT id::text AS id FROM d`;
      if (below.some((r) => r.id === to)) return;
      await db.$executeRaw`UPDATE "Contribution" SET "parentId" = ${to}::uuid WHERE id = ${id}::uuid`;
      return;
    }
  }
}

/** The definition: per contribution, its direct replies the viewer is shown, counted from the rows. */
async function expected(ids: string[], viewerId: string | null): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ id: string; n: number }[]>`
    SELECT p.id::text AS id, (SELECT count(*) FROM "Contribution" c WHERE c."parentId" = p.id AND ${shownSql("c", viewerId)})::int AS n
    FROM "Contribution" p WHERE p.id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

async function stored(ids: string[], viewerId: string | null): Promise<Map<string, number>> {
  // What every list, thread and shared link shows: withRatings on the rows as they are read.
  const rows = await db.contribution.findMany({ where: { id: { in: ids } }, select: contributionSelect });
  return new Map((await withRatings(db, rows, viewerId)).map((c) => [c.id, c.replyCount]));
}

describe("stored reply counts", () => {
  it("match the lists' definition for every reader after any sequence of writes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        const ids: string[] = [];
        try {
          for (const o of ops) await apply(ids, o);
          for (const viewer of [null, ...authors.map((a) => a.id)]) {
            expect(await stored(ids, viewer)).toEqual(await expected(ids, viewer));
          }
        } finally {
          await db.$executeRaw`UPDATE "Contribution" SET "parentId" = NULL WHERE "articleId" = ${article.articleId}::uuid`;
          await db.$executeRaw`DELETE FROM "Contribution" WHERE "articleId" = ${article.articleId}::uuid`;
        }
      }),
      { numRuns: 60, seed },
    );
  });

  it("count a thread of hundreds of replies from the stored number, the signed-in reader's own pending ones added", async () => {
    const top = randomUUID();
    await post(top, null, authors[0]!.id, "PUBLISHED");
    const values = Array.from({ length: 300 }, (_, i) => {
      const status = i % 10 === 0 ? "PENDING" : "PUBLISHED";
      const p = article.paragraphs[0]!;
      return Prisma.sql`(${randomUUID()}::uuid, 'ANNOTATION', ${status}::"ContributionStatus", 'Body', ${article.articleId}::uuid, ${article.versionId}::uuid,
        ${p.id}::uuid, ${p.anchorId}, ${p.text.slice(0, 10)}, '', '', 0, 10, false, ${top}::uuid, ${top}::uuid, 1, ${authors[i % 3]!.id}::uuid, now())`;
    });
    try {
      await db.$executeRaw`
        INSERT INTO "Contribution" (id, kind, status, body, "articleId", "articleVersionId", "paragraphId", "anchorId",
          "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "wholeParagraph", "parentId", "rootId", depth, "authorId", "updatedAt")
        VALUES ${Prisma.join(values)}`;
      expect(await stored([top], null)).toEqual(new Map([[top, 270]]));
      // Alice wrote every third reply, so 10 of the 30 pending ones.
      expect(await stored([top], authors[0]!.id)).toEqual(new Map([[top, 280]]));
      expect(await stored([top], authors[0]!.id)).toEqual(await expected([top], authors[0]!.id));
    } finally {
      await db.$executeRaw`UPDATE "Contribution" SET "parentId" = NULL WHERE "articleId" = ${article.articleId}::uuid`;
      await db.$executeRaw`DELETE FROM "Contribution" WHERE "articleId" = ${article.articleId}::uuid`;
    }
  });
});
