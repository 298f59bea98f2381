import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261203120000_sources_revisions_roles on a database with rows from before it — a source link
 * to https://www.Example.org/x, an annotation edited twice, and an audit log entry about it:
 * applied after the earlier migrations, it derives the source's domain, gives every contribution
 * one revision (its current text at its current version), leaves the old log entry's new
 * columns empty, and neither trips nor removes the log's append-only trigger.
 */

const SOURCES = "20261203120000_sources_revisions_roles";

let db: FreshDatabase;
let all: Migration[];
const [author, moderator] = [randomUUID(), randomUUID()];
const [source, edited] = [randomUUID(), randomUUID()];
const logId = randomUUID();
const postedAt = "2026-11-30T08:00:00.000Z";
const editedAt = "2026-12-01T09:15:30.123Z";

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

const iso = (d: Date | string) => new Date(d).toISOString();

describe(`migration ${SOURCES}`, () => {
  it("applies on top of a database that already has a source link, an edited annotation and an audit log entry", async () => {
    await migrate(
      db.conn,
      all.filter((m) => m.name < SOURCES),
    );
    for (const [id, email] of [
      [author, "a@test.invalid"],
      [moderator, "m@test.invalid"],
    ] as const) {
      await db.conn.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1::uuid, $2, 'U', 'x', now())`, [id, email]);
    }
    const [articleId, versionId, paragraphId] = [randomUUID(), randomUUID(), randomUUID()];
    await db.conn.query(`INSERT INTO "Article" (id, slug) VALUES ($1::uuid, 'a')`, [articleId]);
    await db.conn.query(
      `INSERT INTO "ArticleVersion" (id, "articleId", number, "contentHash", title, frontmatter) VALUES ($1::uuid, $2::uuid, 1, 'h', 'T', '{}')`,
      [versionId, articleId],
    );
    await db.conn.query(`INSERT INTO "Paragraph" (id, "versionId", position, "anchorId", text) VALUES ($1::uuid, $2::uuid, 0, 'p-1', 'Text')`, [
      paragraphId,
      versionId,
    ]);
    const insert = `INSERT INTO "Contribution" (id, kind, body, "sourceUrl", "sourceTitle", stance, version, "editedAt", "createdAt",
                      "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
                    VALUES ($1::uuid, $2::"ContributionKind", $3, $4, $5, $6::"SourceStance", $7, $8::timestamptz, $9::timestamptz,
                      $10::uuid, $11::uuid, $12::uuid, 'p-1', 'Text', '', '', 0, 4, $13::uuid, now())`;
    const where = [articleId, versionId, paragraphId, author];
    await db.conn.query(insert, [source, "SOURCE", "- A note on the link", "https://www.Example.org/x", "Example", "SUPPORTS", 1, null, postedAt, ...where]);
    // Edited twice and moderated once: version 4, its text the last edit's.
    await db.conn.query(insert, [edited, "ANNOTATION", "The text after the second edit", null, null, null, 4, editedAt, postedAt, ...where]);
    await db.conn.query(
      `INSERT INTO "ModerationLog" (id, "actorId", action, "contributionId", "fromStatus", "toStatus", reason)
       VALUES ($1::uuid, $2::uuid, 'HIDE', $3::uuid, 'PUBLISHED', 'HIDDEN', 'Before roles were recorded')`,
      [logId, moderator, edited],
    );

    const rest = all.filter((m) => m.name >= SOURCES);
    expect(rest[0]?.name).toBe(SOURCES);
    expect((await migrate(db.conn, all)).applied).toEqual(rest.map((m) => m.name));
  });

  it("derives the source's domain: lower case, without www.; nothing for a contribution without a URL", async () => {
    const rows = await db.conn.query<{ id: string; sourceDomain: string | null; sourceDoi: string | null; sourceArchiveUrl: string | null; sourceQuote: string | null }>(
      `SELECT id::text, "sourceDomain", "sourceDoi", "sourceArchiveUrl", "sourceQuote" FROM "Contribution"`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(source)).toEqual({ id: source, sourceDomain: "example.org", sourceDoi: null, sourceArchiveUrl: null, sourceQuote: null });
    expect(byId.get(edited)).toMatchObject({ sourceDomain: null });
  });

  it("gives every contribution one revision: its current text at its current version, written when it was last edited (or posted)", async () => {
    const revisions = await db.conn.query<{
      contributionId: string;
      version: number;
      body: string;
      sourceUrl: string | null;
      sourceTitle: string | null;
      stance: string | null;
      createdAt: Date | string;
    }>(`SELECT "contributionId"::text AS "contributionId", version, body, "sourceUrl", "sourceTitle", stance::text AS stance, "createdAt"
          FROM "ContributionRevision" ORDER BY "contributionId"`);
    expect(revisions).toHaveLength(2);
    const byId = new Map(revisions.map((r) => [r.contributionId, r]));
    expect(byId.get(source)).toMatchObject({ version: 1, body: "- A note on the link", sourceUrl: "https://www.Example.org/x", sourceTitle: "Example", stance: "SUPPORTS" });
    expect(iso(byId.get(source)!.createdAt)).toBe(postedAt);
    expect(byId.get(edited)).toMatchObject({ version: 4, body: "The text after the second edit", sourceUrl: null, stance: null });
    expect(iso(byId.get(edited)!.createdAt)).toBe(editedAt);
  });

  it("leaves the old audit log entry as it was: no role, no version", async () => {
    const rows = await db.conn.query<{ id: string; actorRole: string | null; contributionVersion: number | null; reason: string }>(
      `SELECT id::text, "actorRole"::text AS "actorRole", "contributionVersion", reason FROM "ModerationLog"`,
    );
    expect(rows).toEqual([{ id: logId, actorRole: null, contributionVersion: null, reason: "Before roles were recorded" }]);
  });

  it("keeps the audit log append-only: the triggers are still there and refuse an update", async () => {
    const triggers = await db.conn.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = '"ModerationLog"'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.map((t) => t.tgname)).toEqual(["ModerationLog_no_truncate", "ModerationLog_no_update_delete"]);
    await expect(db.conn.query(`UPDATE "ModerationLog" SET "actorRole" = 'MODERATOR' WHERE id = $1::uuid`, [logId])).rejects.toThrow(/append-only/);
    // A new entry records both.
    await db.conn.query(
      `INSERT INTO "ModerationLog" (id, "actorId", "actorRole", action, "contributionId", "contributionVersion") VALUES ($1::uuid, $2::uuid, 'MODERATOR', 'RESTORE', $3::uuid, 4)`,
      [randomUUID(), moderator, edited],
    );
    const [n] = await db.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ModerationLog" WHERE "actorRole" = 'MODERATOR' AND "contributionVersion" = 4`);
    expect(n!.n).toBe(1);
  });
});
