import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReply } from "@/lib/annotations/create-reply";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { createReplySchema } from "@/lib/annotations/schemas";
import { getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { getProfile, PROFILE_PAGE_SIZE } from "@/lib/people/get-profile";
import type { LoadedArticle } from "./support/fixtures";
import { moderationData, type TestUser } from "./support/moderation";

/**
 * /people/<id> and GET /api/people/:id: a person's public profile shows exactly what any reader
 * can see of them in the articles — published, not deleted — never what only they or the
 * moderators see; newest first, 20 a page, keyset-paged.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let post: LoadedArticle;
let pre: LoadedArticle;
let author: TestUser;
let other: TestUser;
let mod: TestUser;

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  post = await data.article(2);
  pre = await data.article(1, "PRE_MODERATION");
  author = await data.user({ name: "Profiled Author" });
  other = await data.user();
  mod = await data.user({ role: "MODERATOR", name: "Profiled Moderator" });
});

afterAll(async () => {
  await data?.cleanup();
});

describe("a person's profile", () => {
  const shown: string[] = [];
  const notShown: Record<string, string> = {};

  beforeAll(async () => {
    const annotation = await data.post(author, post, { body: "**Visible** annotation\nsecond line\nthird line\nfourth line" });
    const counterpoint = await data.post(author, post, { kind: "COUNTERPOINT", p: 1 });
    const source = await data.post(author, post, { kind: "SOURCE" });
    const reply = await createReply(author, (await data.post(other, post)).id, createReplySchema.parse({ kind: "ANNOTATION", body: "A visible reply" }));
    shown.push(annotation.id, counterpoint.id, source.id, reply.id);

    notShown.pending = (await data.post(author, pre)).id;
    const hidden = await data.post(author, post);
    await decide(mod, "HIDE", [{ id: hidden.id, version: 1 }], "Hidden for the test");
    notShown.hidden = hidden.id;
    const rejected = await data.post(author, post);
    await decide(mod, "REJECT", [{ id: rejected.id, version: 1 }], "Rejected for the test");
    notShown.rejected = rejected.id;
    const deleted = await data.post(author, post);
    await deleteContribution(author, deleted.id, 1);
    notShown.deleted = deleted.id;
    // A published reply of the author's under a hidden parent: readers still see the reply (the parent is a placeholder).
    const hiddenParent = await data.post(other, post);
    const underHidden = await createReply(author, hiddenParent.id, createReplySchema.parse({ kind: "COUNTERPOINT", body: "Still visible" }));
    await decide(mod, "HIDE", [{ id: hiddenParent.id, version: 1 }], "Parent hidden");
    shown.push(underHidden.id);
  });

  it("lists the published contributions, newest first, and counts them", async () => {
    const profile = (await getProfile(author.id))!;
    expect(profile.person).toEqual({ id: author.id, name: "Profiled Author", joined: author.createdAt.toISOString().slice(0, 7), role: null, published: shown.length });
    expect(profile.contributions.items.map((c) => c.id).sort()).toEqual([...shown].sort());
    const times = profile.contributions.items.map((c) => c.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(profile.contributions.nextCursor).toBeNull();
  });

  it("never shows a pending, hidden, rejected or deleted one", async () => {
    const ids = new Set((await getProfile(author.id))!.contributions.items.map((c) => c.id));
    for (const [why, id] of Object.entries(notShown)) expect(ids.has(id), why).toBe(false);
  });

  it("counts exactly what the articles' own counts show of the author (the same visibility rule)", async () => {
    // Only this author and `other` write on these articles: the margin counts minus other's visible ones.
    const visibleOf = async (userId: string) =>
      db.contribution.count({ where: { authorId: userId, articleId: { in: [post.articleId, pre.articleId] }, deletedAt: null, status: "PUBLISHED" } });
    let margin = 0;
    for (const a of [post, pre]) {
      for (const s of (await paragraphSummaries(a.articleId)).values()) margin += s.counts.ANNOTATION + s.counts.COUNTERPOINT + s.counts.SOURCE;
    }
    expect(margin - (await visibleOf(other.id))).toBe((await getProfile(author.id))!.person.published);
  });

  it("carries the kind, the article, the paragraph anchor and the first lines of each", async () => {
    const items = (await getProfile(author.id))!.contributions.items;
    const first = items.find((c) => c.excerpt.startsWith("**Visible**"))!;
    expect(first).toMatchObject({
      kind: "ANNOTATION",
      reply: false,
      excerpt: "**Visible** annotation\nsecond line\nthird line",
      truncated: true,
      article: { slug: post.slug, title: `Test article ${post.slug}` },
      anchorId: post.paragraphs[0]!.anchorId,
      source: null,
    });
    expect(items.find((c) => c.kind === "SOURCE")!.source).toEqual({ title: null, domain: "example.org" });
    expect(items.filter((c) => c.reply).map((c) => c.kind).sort()).toEqual(["ANNOTATION", "COUNTERPOINT"]);
  });

  it("says nothing private: no email, status or hidden text anywhere in it", async () => {
    const text = JSON.stringify(await getProfile(author.id));
    expect(text).not.toContain(author.email);
    expect(text).not.toMatch(/passwordHash|suspen|ACTIVE|Hidden for the test|Rejected for the test/);
  });

  it("shows a moderator's or admin's role, not a researcher's or a reader's", async () => {
    expect((await getProfile(mod.id))!.person.role).toBe("MODERATOR");
    const admin = await data.user({ role: "ADMIN" });
    expect((await getProfile(admin.id))!.person.role).toBe("ADMIN");
    const researcher = await data.user({ role: "RESEARCHER" });
    expect((await getProfile(researcher.id))!.person.role).toBeNull();
    expect((await getProfile(other.id))!.person.role).toBeNull();
  });

  it("is null for an id that names nobody", async () => {
    expect(await getProfile("7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")).toBeNull();
  });
});

describe("paging a profile", () => {
  let prolific: TestUser;
  const created: string[] = [];

  beforeAll(async () => {
    prolific = await data.user();
    // 45 published contributions a second apart, plus one hidden in between (never counted or listed).
    const p = post.paragraphs[0]!;
    const base = Date.now() - 3_600_000;
    const rows = Array.from({ length: 46 }, (_, i) => ({
      kind: "ANNOTATION" as const,
      status: i === 20 ? ("HIDDEN" as const) : ("PUBLISHED" as const),
      body: `Paged ${i}`,
      articleId: post.articleId,
      articleVersionId: post.versionId,
      paragraphId: p.id,
      anchorId: p.anchorId,
      quoteExact: p.text.slice(0, 10),
      quotePrefix: "",
      quoteSuffix: p.text.slice(10, 42),
      startOffset: 0,
      endOffset: 10,
      authorId: prolific.id,
      // Two share a time: the id breaks the tie.
      createdAt: new Date(base + (i === 31 ? 30 : i) * 1000),
    }));
    const made = await db.contribution.createManyAndReturn({ data: rows, select: { id: true, createdAt: true, status: true } });
    created.push(...made.filter((m) => m.status === "PUBLISHED").sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((m) => m.id));
  });

  it("gives 20, 20 and 5, newest first, with no repeats or gaps", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (;;) {
      const page = (await getProfile(prolific.id, { cursor }))!;
      expect(page.person.published).toBe(45);
      sizes.push(page.contributions.items.length);
      seen.push(...page.contributions.items.map((c) => c.id));
      if (!page.contributions.nextCursor) break;
      cursor = page.contributions.nextCursor;
    }
    expect(PROFILE_PAGE_SIZE).toBe(20);
    expect(sizes).toEqual([20, 20, 5]);
    expect(seen).toEqual(created);
  });

  it("refuses a cursor it did not write (422)", async () => {
    await expect(getProfile(prolific.id, { cursor: Buffer.from("not-a-cursor").toString("base64url") })).rejects.toMatchObject({ code: "validation" });
  });
});
