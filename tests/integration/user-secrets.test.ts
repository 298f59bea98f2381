import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { getDb, type Db } from "@/lib/db/client";
import { claim, longParagraph, testData, uniqueEmail } from "./support/fixtures";

/** Password hashes never leave the database unless a query asks for them by name. */

let db: Db;
let data: ReturnType<typeof testData>;

beforeAll(async () => {
  db = await getDb();
  data = testData(db);
  await data.user();
});

afterAll(async () => {
  await data?.cleanup();
});

describe("passwordHash is never selected by default", () => {
  it("is absent from findFirst, findMany and findUnique results", async () => {
    const first = await db.user.findFirst();
    expect(first).not.toBeNull();
    expect(first).not.toHaveProperty("passwordHash");
    expect(Object.keys(first!)).toEqual(expect.arrayContaining(["id", "email", "name", "role"]));

    const many = await db.user.findMany({ take: 5 });
    expect(many.length).toBeGreaterThan(0);
    for (const u of many) expect(u).not.toHaveProperty("passwordHash");

    const one = await db.user.findUnique({ where: { id: first!.id } });
    expect(one).not.toHaveProperty("passwordHash");
  });

  it("is absent from what create and update return", async () => {
    const created = await db.user.create({ data: { email: uniqueEmail("secret"), name: "Secret", passwordHash: "hash-value" } });
    expect(created).not.toHaveProperty("passwordHash");
    const updated = await db.user.update({ where: { id: created.id }, data: { name: "Renamed" } });
    expect(updated).not.toHaveProperty("passwordHash");
    await db.user.delete({ where: { id: created.id } });
  });

  it("is absent from users included through a relation", async () => {
    const article = await data.article([longParagraph()]);
    const author = await data.user();
    const c = await createContribution(author, article.slug, claim(article, 0, [0, 10]));
    const withAuthor = await db.contribution.findUniqueOrThrow({ where: { id: c.id }, include: { author: true } });
    expect(withAuthor.author).not.toHaveProperty("passwordHash");
    expect(JSON.stringify(c)).not.toMatch(/passwordHash|not-a-real-hash|@test\.invalid/);
  });

  it("can still be read when a query asks for it explicitly (sign-in does)", async () => {
    const u = await data.user();
    const withHash = await db.user.findUniqueOrThrow({ where: { id: u.id }, select: { passwordHash: true } });
    expect(withHash.passwordHash).toBe("not-a-real-hash");
  });
});
