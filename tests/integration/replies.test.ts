import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReply } from "@/lib/annotations/create-reply";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import type { ContributionDto } from "@/lib/annotations/dto";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { listReplies } from "@/lib/annotations/list-replies";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { createReplySchema } from "@/lib/annotations/schemas";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import type { LoadedArticle } from "./support/fixtures";
import { appError, moderationData, type TestUser } from "./support/moderation";

/** Replies: a contribution answering another, on its claim, in its thread; placeholders keep the tree. */

let db: Db;
let data: ReturnType<typeof moderationData>;
let article: LoadedArticle;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let mod: TestUser;

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  article = await data.article(4);
  alice = await data.user({ name: "Alice" });
  bob = await data.user({ name: "Bob" });
  carol = await data.user({ name: "Carol" });
  mod = await data.user({ role: "MODERATOR" });
});

afterAll(async () => {
  await data?.cleanup();
});

const reply = (user: TestUser, parent: { id: string }, body: string, kind: "ANNOTATION" | "COUNTERPOINT" = "COUNTERPOINT") =>
  createReply(user, parent.id, { kind, body });

const paragraphList = (p: number, viewerId: string | null) =>
  listParagraphContributions(article.slug, article.paragraphs[p]!.anchorId, { limit: 20, viewerId, sort: "newest" });

describe("a thread", () => {
  it("grows three levels deep on the root's claim, and the paragraph lists only the root, with its reply count", async () => {
    const root = await data.post(alice, article, { p: 0, body: "Root claim." });
    const r1 = await reply(bob, root, "Bob disputes.");
    const r2 = await reply(alice, r1, "Alice answers Bob.", "ANNOTATION");
    const r3 = await reply(bob, r2, "Bob again.");
    for (const [r, depth, parent] of [
      [r1, 1, root],
      [r2, 2, r1],
      [r3, 3, r2],
    ] as const) {
      expect(r.depth).toBe(depth);
      expect(r.parentId).toBe(parent.id);
      expect(r.rootId).toBe(root.id);
      expect(r.selector).toEqual(root.selector);
      expect(r.anchorId).toBe(root.anchorId);
      expect(r.inReplyTo).toEqual({ name: parent.author.name });
    }
    const page = await paragraphList(0, carol.id);
    expect(page.items.map((c) => c.id)).toEqual([root.id]);
    expect(page.items[0]!.replyCount).toBe(1);
    const level1 = await listReplies(root.id, { limit: 20, viewerId: null });
    expect(level1.items.map((c) => [c.id, c.replyCount])).toEqual([[r1.id, 1]]);
    const level3 = await listReplies(r2.id, { limit: 20, viewerId: null });
    expect(level3.items.map((c) => c.body)).toEqual(["Bob again."]);
    // The margin's counts include replies, by kind.
    const counts = (await paragraphSummaries(article.articleId, null)).get(article.paragraphs[0]!.anchorId)!.counts;
    expect(counts).toMatchObject({ ANNOTATION: 2, COUNTERPOINT: 2 });
  });

  it("pages replies oldest first without skipping or repeating, even when many share a millisecond", async () => {
    const root = await data.post(alice, article, { p: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) ids.push((await reply(i % 2 ? bob : carol, root, `Reply ${i}`)).id);
    await db.contribution.updateMany({ where: { id: { in: ids.slice(15, 25) } }, data: { createdAt: new Date(Date.now() + 60_000) } });
    const seen: ContributionDto[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listReplies(root.id, { limit: 20, cursor, viewerId: alice.id });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen.map((c) => c.id))).toEqual(new Set(ids));
    expect(seen).toHaveLength(45);
    const times = seen.map((c) => Date.parse(c.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect((await paragraphList(1, null)).items[0]!.replyCount).toBe(45);
  });

  it("refuses a reply to a deleted contribution (409), and to one the replier cannot see (404); bad input changes nothing", async () => {
    const gone = await data.post(alice, article, { p: 2 });
    await deleteContribution(alice, gone.id, gone.version);
    await appError("conflict", () => reply(bob, gone, "Too late."));
    const hidden = await data.post(alice, article, { p: 2 });
    await decide(mod, "HIDE", [{ id: hidden.id, version: hidden.version }], "Off-topic.");
    await appError("not_found", () => reply(bob, hidden, "Cannot see it."));
    await appError("not_found", () => reply(bob, { id: "00000000-0000-4000-8000-000000000000" }, "Nothing there."));
    expect(createReplySchema.safeParse({ kind: "SOURCE", body: "No link." }).success).toBe(false);
    expect(createReplySchema.safeParse({ kind: "ANNOTATION", body: "   " }).success).toBe(false);
    expect(await db.contribution.count({ where: { parentId: { in: [gone.id, hidden.id] } } })).toBe(0);
  });
});

describe("placeholders", () => {
  it("a deleted or hidden contribution with visible replies stays in the tree, blanked; without replies it is gone", async () => {
    const removed = await data.post(alice, article, { p: 3, body: "Soon removed by Alice." });
    const hidden = await data.post(carol, article, { p: 3, body: "Soon hidden." });
    const lonely = await data.post(carol, article, { p: 3, body: "Deleted, no replies." });
    await reply(bob, removed, "Answer to a removed one.");
    const onHidden = await reply(bob, hidden, "Answer to a hidden one.");
    await deleteContribution(alice, removed.id, removed.version);
    await deleteContribution(carol, lonely.id, lonely.version);
    const h = await db.contribution.findUniqueOrThrow({ where: { id: hidden.id }, select: { version: true } });
    await decide(mod, "HIDE", [{ id: hidden.id, version: h.version }], "Harassment.");

    const page = await paragraphList(3, bob.id);
    const byId = new Map(page.items.map((c) => [c.id, c]));
    expect(byId.has(lonely.id)).toBe(false);
    expect(byId.get(removed.id)).toMatchObject({ placeholder: "deleted", body: "", author: { name: "" }, replyCount: 1 });
    expect(byId.get(hidden.id)).toMatchObject({ placeholder: "hidden", body: "", source: null, replyCount: 1 });
    // The hidden one's author still reads their own text, labelled; the replies are readable by everyone.
    const own = (await paragraphList(3, carol.id)).items.find((c) => c.id === hidden.id)!;
    expect(own).toMatchObject({ placeholder: null, body: "Soon hidden.", status: "HIDDEN" });
    expect((await listReplies(hidden.id, { limit: 20, viewerId: null })).items.map((c) => c.id)).toEqual([onHidden.id]);

    // Once its only reply is hidden too, the placeholder has nothing to keep in context.
    await decide(mod, "HIDE", [{ id: onHidden.id, version: onHidden.version }], "Harassment.");
    expect((await paragraphList(3, alice.id)).items.some((c) => c.id === hidden.id)).toBe(false);
  });
});

describe("a reply is a contribution", () => {
  it("is edited with a version check, flagged, moderated and counted like one", async () => {
    const root = await data.post(alice, article, { p: 0 });
    const r = await reply(bob, root, "First wording.");
    const edited = await updateContribution(bob, r.id, { version: r.version, body: "Second wording." });
    expect(edited).toMatchObject({ body: "Second wording.", edited: true, parentId: root.id });
    await appError("stale", () => updateContribution(bob, r.id, { version: r.version, body: "Stale." }));
    await flagContribution(carol, r.id, { reason: "OFF_TOPIC" });
    const queued = await db.contribution.findUniqueOrThrow({ where: { id: r.id }, select: { openFlagCount: true, queuedAt: true, version: true } });
    expect(queued.openFlagCount).toBe(1);
    expect(queued.queuedAt).not.toBeNull();
    await decide(mod, "HIDE", [{ id: r.id, version: queued.version }], "Off-topic.");
    expect((await listReplies(root.id, { limit: 20, viewerId: carol.id })).items).toEqual([]);
    expect((await paragraphList(0, carol.id)).items.find((c) => c.id === root.id)!.replyCount).toBe(0);
  });

  it("waits for review on a pre-moderated article: only its author sees it", async () => {
    const pre = await data.article(1, "PRE_MODERATION");
    const root = await db.contribution.findFirstOrThrow({ where: { id: (await data.post(alice, pre)).id } });
    await decide(mod, "PUBLISH", [{ id: root.id, version: root.version }], null);
    const r = await reply(bob, root, "Held for review.");
    expect(r.status).toBe("PENDING");
    expect((await listReplies(root.id, { limit: 20, viewerId: bob.id })).items.map((c) => c.id)).toEqual([r.id]);
    expect((await listReplies(root.id, { limit: 20, viewerId: carol.id })).items).toEqual([]);
  });
});
