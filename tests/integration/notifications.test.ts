import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReply } from "@/lib/annotations/create-reply";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { countUnread, listNotifications } from "@/lib/notifications/list-notifications";
import { markRead } from "@/lib/notifications/mark-read";
import { notifyReplies } from "@/lib/notifications/notify-replies";
import { markReadSchema } from "@/lib/notifications/schemas";
import type { LoadedArticle } from "./support/fixtures";
import { moderationData, type TestUser } from "./support/moderation";

/**
 * "Someone replied to you": the notifier turns live events into notifications once each (two
 * instances running it at the same time included), never for your own reply, and the list, the
 * unread count and marking read are the reader's own.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let post: LoadedArticle;
let pre: LoadedArticle;
let alice: TestUser;
let bob: TestUser;
let mod: TestUser;

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  post = await data.article(1);
  pre = await data.article(1, "PRE_MODERATION");
  alice = await data.user({ name: "Alice Notified" });
  bob = await data.user({ name: "Bob Replier" });
  mod = await data.user({ role: "MODERATOR" });
});

afterAll(async () => {
  await data?.cleanup();
});

/** Runs the notifier until it has read everything (other files' events included). */
async function drain(): Promise<void> {
  while ((await notifyReplies(db)).events > 0);
}

describe("reply notifications", () => {
  it("tells the author of what was answered, once, and not about their own replies", async () => {
    const mine = await data.post(alice, post, { body: "Alice's claim about exiles." });
    const before = await countUnread(alice);
    const r = await createReply(bob, mine.id, { kind: "COUNTERPOINT", body: "Bob disagrees." });
    await createReply(alice, mine.id, { kind: "ANNOTATION", body: "Alice adds to her own." });
    // Two instances at once: one of them works, the other finds the lock taken or nothing left.
    await Promise.all([drain(), drain()]);
    await drain();
    expect(await countUnread(alice)).toBe(before + 1);
    const page = await listNotifications(alice);
    const n = page.items.find((i) => i.contribution.id === r.id)!;
    expect(n).toMatchObject({
      kind: "REPLY",
      read: false,
      contribution: { author: "Bob Replier", firstLine: "Bob disagrees.", href: `/articles/${post.slug}?contribution=${r.id}#${mine.anchorId}`, isReply: true },
      inReplyTo: { firstLine: "Alice's claim about exiles." },
    });
    expect(page.items.filter((i) => i.contribution.id === r.id)).toHaveLength(1);
    expect((await listNotifications(bob)).items.some((i) => i.contribution.id === r.id)).toBe(false);
  });

  it("waits for a pending reply to be published, and drops one that is hidden or deleted", async () => {
    const mine = await data.post(alice, post, { body: "Another claim." });
    const onPre = await data.post(alice, pre, { body: "On a pre-moderated article." });
    await decide(mod, "PUBLISH", [{ id: onPre.id, version: 1 }], null);
    const pending = await createReply(bob, onPre.id, { kind: "ANNOTATION", body: "Waiting for review." });
    await drain();
    expect((await listNotifications(alice)).items.some((i) => i.contribution.id === pending.id)).toBe(false);
    await decide(mod, "PUBLISH", [{ id: pending.id, version: 1 }], null);
    await drain();
    expect((await listNotifications(alice)).items.some((i) => i.contribution.id === pending.id)).toBe(true);

    const gone = await createReply(bob, mine.id, { kind: "ANNOTATION", body: "Soon deleted." });
    await drain();
    const withIt = await countUnread(alice);
    await deleteContribution(bob, gone.id, undefined);
    expect(await countUnread(alice)).toBe(withIt - 1);
    expect((await listNotifications(alice)).items.some((i) => i.contribution.id === gone.id)).toBe(false);
  });

  it("marks read only the reader's own, one or all", async () => {
    const mine = await data.post(alice, post, { body: "A third claim." });
    const r1 = await createReply(bob, mine.id, { kind: "ANNOTATION", body: "One." });
    const r2 = await createReply(bob, mine.id, { kind: "ANNOTATION", body: "Two." });
    await drain();
    const items = (await listNotifications(alice)).items;
    const n1 = items.find((i) => i.contribution.id === r1.id)!;
    expect((await markRead(bob, markReadSchema.parse({ ids: [n1.id] }))).marked).toBe(0);
    expect((await markRead(alice, markReadSchema.parse({ ids: [n1.id] }))).marked).toBe(1);
    const after = (await listNotifications(alice)).items;
    expect(after.find((i) => i.id === n1.id)!.read).toBe(true);
    expect(after.find((i) => i.contribution.id === r2.id)!.read).toBe(false);
    await markRead(alice, markReadSchema.parse({ all: true }));
    expect(await countUnread(alice)).toBe(0);
    expect(markReadSchema.safeParse({ ids: [] }).success).toBe(false);
    expect(markReadSchema.safeParse({ all: false }).success).toBe(false);
  });
});

describe("follows, news on what you follow, moderators' decisions, settings", () => {
  it("posting and replying follow the thread; followers of the article, paragraph or thread hear of new ones once", async () => {
    const { setFollow, listFollows } = await import("@/lib/follows/set-follow");
    const carol = await data.user({ name: "Carol Follower" });
    const dave = await data.user({ name: "Dave Paragraph" });
    const root = await data.post(alice, post, { body: "A thread to follow." });
    expect((await listFollows(alice, post.slug)).targets).toContain(`thread:${root.id}`);
    await setFollow(carol, post.slug, "article", true);
    await setFollow(dave, post.slug, `paragraph:${root.anchorId}`, true);
    // Following twice is still one follow.
    await setFollow(dave, post.slug, `paragraph:${root.anchorId}`, true);
    await drain();
    const r1 = await createReply(bob, root.id, { kind: "ANNOTATION", body: "First answer." });
    const r2 = await createReply(carol, r1.id, { kind: "ANNOTATION", body: "Carol answers Bob." });
    await drain();
    const kinds = async (u: TestUser, id: string) => (await listNotifications(u)).items.filter((i) => i.contribution.id === id).map((i) => i.kind);
    // Alice: r1 answers her (a reply), r2 is deeper in her thread (news of what she follows).
    expect(await kinds(alice, r1.id)).toEqual(["REPLY"]);
    expect(await kinds(alice, r2.id)).toEqual(["FOLLOWED"]);
    // Bob replied, so he follows the thread; r2 answers him: a reply, not also news.
    expect(await kinds(bob, r2.id)).toEqual(["REPLY"]);
    // Carol follows the article; she wrote r2 herself.
    expect(await kinds(carol, r1.id)).toEqual(["FOLLOWED"]);
    expect(await kinds(carol, r2.id)).toEqual([]);
    // Dave follows the paragraph.
    expect(await kinds(dave, root.id)).toEqual(["FOLLOWED"]);
    expect(await kinds(dave, r2.id)).toEqual(["FOLLOWED"]);
    // Unfollowing stops it.
    await setFollow(dave, post.slug, `paragraph:${root.anchorId}`, false);
    const r3 = await createReply(bob, root.id, { kind: "ANNOTATION", body: "Third." });
    await drain();
    expect(await kinds(dave, r3.id)).toEqual([]);
    // A target that is not there is a 404.
    await expect(setFollow(dave, post.slug, "paragraph:no-such-anchor", true)).rejects.toMatchObject({ code: "not_found" });
  });

  it("tells authors of moderators' decisions (latest one, unread again), not of a review that keeps it; settings turn kinds off", async () => {
    const { updateSettings } = await import("@/lib/users/settings");
    const { createAppeal } = await import("@/lib/moderation/create-appeal");
    const { decideAppeal } = await import("@/lib/moderation/decide-appeal");
    const c = await data.post(alice, post, { body: "To be moderated." });
    await decide(mod, "KEEP", [{ id: c.id, version: 1 }], null);
    const mine = async () => (await listNotifications(alice)).items.filter((i) => i.kind === "MODERATION" && i.contribution.id === c.id);
    expect(await mine()).toEqual([]);
    await decide(mod, "HIDE", [{ id: c.id, version: 2 }], "Rude");
    expect((await mine()).map((n) => [n.outcome, n.read, n.contribution.href])).toEqual([["HIDE", false, "/me/contributions"]]);
    await markRead(alice, markReadSchema.parse({ all: true }));
    await createAppeal(alice, c.id, "It was not.");
    await decideAppeal(mod, { contributionId: c.id, version: 3, uphold: true });
    expect((await mine()).map((n) => [n.outcome, n.read])).toEqual([["APPEAL_UPHELD", false]]);

    // Bob turns replies off: no reply notification; moderation stays on.
    await updateSettings(bob, { notifyReplies: false });
    const b = await data.post(bob, post, { body: "Bob's own." });
    const r = await createReply(alice, b.id, { kind: "ANNOTATION", body: "Alice answers." });
    await drain();
    expect((await listNotifications(bob)).items.some((i) => i.contribution.id === r.id)).toBe(false);
    await updateSettings(bob, { notifyReplies: true, autoFollow: false });
    const own = await data.post(bob, post, { body: "Not followed automatically." });
    const { listFollows } = await import("@/lib/follows/set-follow");
    expect((await listFollows(bob, post.slug)).targets).not.toContain(`thread:${own.id}`);
  });
});
