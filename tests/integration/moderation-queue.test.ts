import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/db/client";
import { createReply } from "@/lib/annotations/create-reply";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { createAppeal } from "@/lib/moderation/create-appeal";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { listQueue, type QueueItem } from "@/lib/moderation/list-queue";
import { queueQuerySchema } from "@/lib/moderation/schemas";
import { allowedDecisions } from "@/lib/moderation/status-machine";
import { suffix, type LoadedArticle } from "./support/fixtures";
import { appError, moderationData, type TestUser } from "./support/moderation";

/**
 * The moderation queue (listQueue, GET /api/admin/queue): what waits for a decision — pending,
 * flagged, auto-hidden, appealed — oldest first, filtered and keyset-paged, with what a
 * moderator needs to decide (quote, body, author's history, open flags, appeal).
 * Every query names this file's own articles, so other files' items never interfere.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let post: LoadedArticle;
let pre: LoadedArticle;
let alice: TestUser;
let bob: TestUser;
let readers: TestUser[];
let mod: TestUser;
const tag = suffix();

const items: Record<string, string> = {};

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  post = await data.article(2);
  pre = await data.article(1, "PRE_MODERATION");
  alice = await data.user({ name: `Alice Queue-${tag}`, createdAt: new Date("2025-03-04T05:06:07.000Z") });
  bob = await data.user({ name: `Bob Queue-${tag}` });
  readers = [await data.user(), await data.user(), await data.user()];
  mod = await data.user({ role: "MODERATOR" });

  // In queue order (each enters the queue after the one before):
  items.pending = (await data.post(alice, pre, { body: "Pending body" })).id;
  items.spam = (await data.post(bob, post, { body: "Buy now" })).id;
  await flagContribution(readers[0]!, items.spam, { reason: "SPAM", note: "Advert" });
  items.source = (await data.post(alice, post, { kind: "SOURCE", body: "A dubious link" })).id;
  await flagContribution(readers[0]!, items.source, { reason: "MISINFORMATION" });
  await flagContribution(readers[1]!, items.source, { reason: "OTHER", note: "Dead link" });
  items.autoHidden = (await data.post(bob, post, { kind: "COUNTERPOINT", body: "You are all wrong" }))!.id;
  for (const r of readers) await flagContribution(r, items.autoHidden, { reason: "HARASSMENT" });
  items.appealed = (await data.post(alice, post, { body: "Hidden then appealed" })).id;
  await decide(mod, "HIDE", [{ id: items.appealed, version: 1 }], "Rude");
  await createAppeal(alice, items.appealed, "I was quoting the article");
  // Not in the queue: flagged, then reviewed and kept; and never flagged.
  items.kept = (await data.post(bob, post)).id;
  await flagContribution(readers[2]!, items.kept, { reason: "SPAM" });
  await decide(mod, "KEEP", [{ id: items.kept, version: 1 }], null);
  items.quiet = (await data.post(bob, post)).id;

  // Make the queue order unambiguous (one second apart, in the order above).
  const order = ["pending", "spam", "source", "autoHidden", "appealed"];
  const t0 = Date.now() - 60_000;
  for (const [i, name] of order.entries()) {
    await db.contribution.update({ where: { id: items[name]! }, data: { queuedAt: new Date(t0 + i * 1000) } });
  }
});

afterAll(async () => {
  await data?.cleanup();
});

const list = async (query: Record<string, unknown>) => listQueue(mod, queueQuerySchema.parse(query));
/** The queue's items by this file's names for them, in the order returned. */
const names = (page: { items: QueueItem[] }) => page.items.map((i) => Object.keys(items).find((k) => items[k] === i.id) ?? i.id);

describe("listQueue", () => {
  it("is for moderators and admins only", async () => {
    await appError("forbidden", () => listQueue(alice, queueQuerySchema.parse({})));
    await appError("forbidden", () => listQueue({ ...alice, role: "RESEARCHER" }, queueQuerySchema.parse({})));
  });

  it("returns pending, flagged, auto-hidden and appealed items, oldest first; not decided or unflagged ones", async () => {
    expect(names(await list({ article: post.slug }))).toEqual(["spam", "source", "autoHidden", "appealed"]);
    expect(names(await list({ article: pre.slug }))).toEqual(["pending"]);
    expect(names(await list({ article: post.slug, order: "newest" }))).toEqual(["appealed", "autoHidden", "source", "spam"]);
  });

  it("gives each item what a moderator needs to decide", async () => {
    const page = await list({ article: post.slug });
    const source = page.items.find((i) => i.id === items.source)!;
    const row = await db.contribution.findUniqueOrThrow({ where: { id: items.source } });
    expect(source).toMatchObject({
      id: items.source,
      version: row.version,
      kind: "SOURCE",
      status: "PUBLISHED",
      body: "A dubious link",
      quote: row.quoteExact,
      source: { url: "https://example.org/evidence", stance: "SUPPORTS" },
      article: { slug: post.slug, title: `Test article ${post.slug}` },
      anchorId: post.paragraphs[0]!.anchorId,
      author: { id: alice.id, name: alice.name, since: "2025-03-04T05:06:07.000Z", status: "ACTIVE" },
      appeal: null,
      decisions: allowedDecisions("PUBLISHED"),
    });
    expect(source.quote.length).toBeGreaterThan(0);
    expect(source.flags.map((f) => [f.reason, f.note])).toEqual([
      ["MISINFORMATION", null],
      ["OTHER", "Dead link"],
    ]);

    const spam = page.items.find((i) => i.id === items.spam)!;
    expect(spam.flags).toEqual([{ reason: "SPAM", note: "Advert", createdAt: expect.any(String) }]);

    const auto = page.items.find((i) => i.id === items.autoHidden)!;
    expect(auto).toMatchObject({ status: "HIDDEN", decisions: ["REJECT", "RESTORE"] });
    expect(auto.flags.map((f) => f.reason)).toEqual(["HARASSMENT", "HARASSMENT", "HARASSMENT"]);
    expect(auto.moderationReason).toMatch(/automatically/);

    const appealed = page.items.find((i) => i.id === items.appealed)!;
    expect(appealed).toMatchObject({ status: "HIDDEN", moderationReason: "Rude", appeal: { note: "I was quoting the article" }, flags: [] });

    const pending = (await list({ article: pre.slug })).items[0]!;
    expect(pending).toMatchObject({ status: "PENDING", body: "Pending body", flags: [], decisions: ["PUBLISH", "REJECT"] });
  });

  it("shows a reply with the contribution it answers", async () => {
    const parent = await data.post(alice, post, { p: 1, body: "The claim is overstated." });
    const reply = await createReply(readers[2]!, parent.id, { kind: "COUNTERPOINT", body: "No, the figures support it." });
    await flagContribution(readers[0]!, reply.id, { reason: "HARASSMENT" });
    const page = await list({ article: post.slug });
    const item = page.items.find((i) => i.id === reply.id)!;
    expect(item).toMatchObject({
      kind: "COUNTERPOINT",
      depth: 1,
      inReplyTo: { id: parent.id, kind: "ANNOTATION", status: "PUBLISHED", deleted: false, authorName: alice.name, body: "The claim is overstated." },
    });
    // Top-level items answer nothing.
    expect(page.items.find((i) => i.id === items.source)!.inReplyTo).toBeNull();
    await decide(mod, "KEEP", [{ id: reply.id, version: item.version }], null);
  });

  it("counts each author's prior take-downs (hide, reject, auto-hide)", async () => {
    const page = await list({ article: post.slug });
    const by = (id: string) => page.items.find((i) => i.id === id)!.author.priorDecisions;
    expect(by(items.autoHidden!)).toBe(1); // bob: one AUTO_HIDE
    expect(by(items.source!)).toBe(1); // alice: one HIDE
    expect(by(items.spam!)).toBe(1);
  });

  it("filters by article, kind, status, flag reason and author", async () => {
    expect(names(await list({ article: post.slug, kind: "SOURCE" }))).toEqual(["source"]);
    expect(names(await list({ article: post.slug, kind: "COUNTERPOINT" }))).toEqual(["autoHidden"]);
    expect(names(await list({ article: post.slug, status: "HIDDEN" }))).toEqual(["autoHidden", "appealed"]);
    expect(names(await list({ article: post.slug, status: "PUBLISHED" }))).toEqual(["spam", "source"]);
    expect(names(await list({ article: pre.slug, status: "PENDING" }))).toEqual(["pending"]);
    expect(names(await list({ article: post.slug, reason: "SPAM" }))).toEqual(["spam"]);
    expect(names(await list({ article: post.slug, reason: "OTHER" }))).toEqual(["source"]);
    expect(names(await list({ article: post.slug, reason: "HARASSMENT" }))).toEqual(["autoHidden"]);
    // Kept: its flag was closed, so a reason filter no longer finds it.
    expect(names(await list({ article: post.slug, reason: "OFF_TOPIC" }))).toEqual([]);
    // Author: by part of the name (any case), or by id; across articles.
    expect(names(await list({ author: `alice queue-${tag}` })).sort()).toEqual(["appealed", "pending", "source"]);
    expect(names(await list({ author: bob.id }))).toEqual(["spam", "autoHidden"]);
    expect(names(await list({ author: `queue-${tag}`, kind: "ANNOTATION", status: "PUBLISHED" }))).toEqual(["spam"]);
    expect(names(await list({ article: `no-such-${tag}` }))).toEqual([]);
  });

  it("drops an item once it is decided", async () => {
    const c = await data.post(bob, post);
    await flagContribution(readers[0]!, c.id, { reason: "OFF_TOPIC" });
    expect((await list({ article: post.slug, reason: "OFF_TOPIC" })).items.map((i) => i.id)).toEqual([c.id]);
    await decide(mod, "REJECT", [{ id: c.id, version: 1 }], "Off topic");
    expect((await list({ article: post.slug, reason: "OFF_TOPIC" })).items).toEqual([]);
  });

  it("rejects a cursor that is not one of ours", async () => {
    await expect(list({ article: post.slug, cursor: "bm9wZQ" })).rejects.toMatchObject({ code: "validation" });
  });
});

describe("listQueue paging", () => {
  let paged: LoadedArticle;
  let expectedOldest: string[];

  beforeAll(async () => {
    paged = await data.article(1);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const c = await data.post(alice, paged);
      await flagContribution(readers[i % 3]!, c.id, { reason: "SPAM" });
      ids.push(c.id);
    }
    // Ten items entered the queue in the same millisecond, across page breaks: the id breaks the tie.
    const same = new Date(Date.now() - 30_000);
    await db.contribution.updateMany({ where: { id: { in: ids.slice(5, 15) } }, data: { queuedAt: same } });
    const rows = await db.contribution.findMany({ where: { id: { in: ids } }, orderBy: [{ queuedAt: "asc" }, { id: "asc" }], select: { id: true } });
    expectedOldest = rows.map((r) => r.id);
  });

  async function all(limit: number, order: "oldest" | "newest") {
    const pages: QueueItem[][] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ article: paged.slug, limit, order, cursor });
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
      if (pages.length > 30) throw new Error("paging does not end");
    } while (cursor);
    return pages;
  }

  it.each([1, 4, 7, 23, 100])("pages by %i without gaps or duplicates, in both orders", async (limit) => {
    const oldest = await all(limit, "oldest");
    expect(oldest.map((p) => p.length)).toEqual(
      Array.from({ length: Math.max(1, Math.ceil(23 / limit)) }, (_, i) => Math.min(limit, 23 - i * limit)),
    );
    expect(oldest.flat().map((i) => i.id)).toEqual(expectedOldest);
    const newest = await all(limit, "newest");
    expect(newest.flat().map((i) => i.id)).toEqual([...expectedOldest].reverse());
  });
});

describe("an item edited after it was hidden (issue 14, defect 9)", () => {
  it("shows the text that was hidden beside the current one; unedited items show none", async () => {
    const own = await data.article(1);
    const c = await data.post(alice, own, { body: "The original wording, which was hidden." });
    await decide(mod, "HIDE", [{ id: c.id, version: 1 }], "Insulting");
    await updateContribution(alice, c.id, { version: 2, body: "A calmer wording, written after it was hidden." });
    await createAppeal(alice, c.id, "I rewrote it.");
    const other = await data.post(bob, own, { body: "Hidden and never edited." });
    await decide(mod, "HIDE", [{ id: other.id, version: 1 }], "Spam");
    await createAppeal(bob, other.id, "Please look again.");

    const page = await listQueue(mod, queueQuerySchema.parse({ article: own.slug }));
    const edited = page.items.find((i) => i.id === c.id)!;
    expect(edited.body).toBe("A calmer wording, written after it was hidden.");
    expect(edited.whenHidden).toEqual({ action: "HIDE", at: expect.any(String), body: "The original wording, which was hidden." });
    expect(page.items.find((i) => i.id === other.id)!.whenHidden).toBeNull();
  });
});
