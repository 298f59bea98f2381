import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations, type Migration } from "@/lib/db/migrate";
import { readCatalog, type Catalog } from "./support/catalog";
import { createFreshDatabase, type FreshDatabase } from "./support/fresh-database";

/**
 * 20261202170000_email on a database that already has users: they keep their rows, count as
 * unverified (nobody confirmed their address), keep digests on, and the outbox and token tables
 * arrive with the indexes the worker and the token lookups use.
 */

const EMAIL = "20261202170000_email";

let db: FreshDatabase;
let all: Migration[];
let catalog: Catalog;
const userId = randomUUID();

beforeAll(async () => {
  db = await createFreshDatabase();
  all = await readMigrations();
});

afterAll(async () => {
  await db?.close();
});

describe(`migration ${EMAIL}`, () => {
  it("exists and comes after the research export migration", () => {
    const names = all.map((m) => m.name);
    expect(names).toContain(EMAIL);
    expect(names.filter((n) => n < EMAIL)).toEqual(expect.arrayContaining(["20261127020000_research_export"]));
  });

  it("applies on top of a database that already has users", async () => {
    const before = all.filter((m) => m.name < EMAIL);
    await migrate(db.conn, before);
    const pre = await readCatalog(db.conn);
    expect(pre.tables).not.toContain("OutboundEmail");
    expect(pre.columns.find((c) => c.table === "User" && c.name === "emailVerifiedAt")).toBeUndefined();
    await db.conn.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES ($1::uuid, 'existing-mail@test.invalid', 'Existing', 'x', 'READER', now())`,
      [userId],
    );
    const rest = all.filter((m) => m.name >= EMAIL);
    expect(rest[0]?.name).toBe(EMAIL);
    expect((await migrate(db.conn, all)).applied).toEqual(rest.map((m) => m.name));
    catalog = await readCatalog(db.conn);
  });

  it("leaves existing users unverified, with digests on and no password change recorded", async () => {
    const [row] = await db.conn.query<{ emailVerifiedAt: Date | null; passwordChangedAt: Date | null; digestEmails: boolean }>(
      `SELECT "emailVerifiedAt", "passwordChangedAt", "digestEmails" FROM "User" WHERE id = $1::uuid`,
      [userId],
    );
    expect(row).toEqual({ emailVerifiedAt: null, passwordChangedAt: null, digestEmails: true });
    const col = (name: string) => catalog.columns.find((c) => c.table === "User" && c.name === name);
    expect(col("digestEmails")).toMatchObject({ dataType: "boolean", nullable: false, default: "true" });
    expect(col("emailVerifiedAt")).toMatchObject({ dataType: "timestamp with time zone", nullable: true });
  });

  it("creates the outbox and token tables with their enums, indexes and foreign keys", () => {
    expect(catalog.tables).toEqual(expect.arrayContaining(["OutboundEmail", "EmailToken"]));
    const values = (name: string) => catalog.enums.find((e) => e.name === name)?.values;
    expect(values("EmailKind")).toEqual(["VERIFY_EMAIL", "PASSWORD_RESET", "DIGEST"]);
    expect(values("EmailStatus")).toEqual(["PENDING", "SENDING", "SENT", "FAILED"]);
    expect(values("EmailTokenPurpose")).toEqual(["VERIFY_EMAIL", "PASSWORD_RESET"]);
    const indexes = (table: string) => catalog.indexes.filter((i) => i.table === table && !i.primary).map((i) => i.columns);
    expect(indexes("OutboundEmail")).toContainEqual(["status", "nextAttemptAt"]);
    expect(indexes("EmailToken")).toEqual(expect.arrayContaining([["tokenHash"], ["userId", "purpose", "createdAt"], ["expiresAt"]]));
    expect(catalog.indexes.find((i) => i.table === "EmailToken" && i.columns.join() === "tokenHash")?.unique).toBe(true);
    const fk = (table: string) => catalog.foreignKeys.find((f) => f.table === table && f.columns.join() === "userId");
    expect(fk("OutboundEmail")).toMatchObject({ referencedTable: "User", onDelete: "n" });
    expect(fk("EmailToken")).toMatchObject({ referencedTable: "User", onDelete: "c" });
  });

  it("takes an outbox row with its defaults; deleting the user keeps the row and drops the tokens", async () => {
    const mailId = randomUUID();
    await db.conn.query(
      `INSERT INTO "OutboundEmail" (id, kind, "toAddress", "userId", subject, text) VALUES ($1::uuid, 'VERIFY_EMAIL', 'existing-mail@test.invalid', $2::uuid, 'S', 'T')`,
      [mailId, userId],
    );
    await db.conn.query(
      `INSERT INTO "EmailToken" (id, "userId", purpose, "tokenHash", email, "expiresAt") VALUES ($1::uuid, $2::uuid, 'PASSWORD_RESET', 'h', 'existing-mail@test.invalid', now())`,
      [randomUUID(), userId],
    );
    const [mail] = await db.conn.query<{ status: string; attempts: number; due: boolean }>(
      `SELECT status::text, attempts, "nextAttemptAt" <= now() AS due FROM "OutboundEmail" WHERE id = $1::uuid`,
      [mailId],
    );
    expect(mail).toEqual({ status: "PENDING", attempts: 0, due: true });
    await db.conn.query(`DELETE FROM "User" WHERE id = $1::uuid`, [userId]);
    const [kept] = await db.conn.query<{ userId: string | null }>(`SELECT "userId"::text FROM "OutboundEmail" WHERE id = $1::uuid`, [mailId]);
    expect(kept).toEqual({ userId: null });
    const [tokens] = await db.conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EmailToken"`);
    expect(tokens!.n).toBe(0);
  });

  it("is not applied twice", async () => {
    expect((await migrate(db.conn, all)).applied).toEqual([]);
    expect(await readCatalog(db.conn)).toEqual(catalog);
  });
});
