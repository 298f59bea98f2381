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
    const n = page.items.find((i) => i.reply.id === r.id)!;
    expect(n).toMatchObject({
      kind: "REPLY",
      read: false,
      reply: { author: "Bob Replier", firstLine: "Bob disagrees.", href: `/articles/${post.slug}?contribution=${r.id}#${mine.anchorId}` },
      inReplyTo: { firstLine: "Alice's claim about exiles." },
    });
    expect(page.items.filter((i) => i.reply.id === r.id)).toHaveLength(1);
    expect((await listNotifications(bob)).items.some((i) => i.reply.id === r.id)).toBe(false);
  });

  it("waits for a pending reply to be published, and drops one that is hidden or deleted", async () => {
    const mine = await data.post(alice, post, { body: "Another claim." });
    const onPre = await data.post(alice, pre, { body: "On a pre-moderated article." });
    await decide(mod, "PUBLISH", [{ id: onPre.id, version: 1 }], null);
    const pending = await createReply(bob, onPre.id, { kind: "ANNOTATION", body: "Waiting for review." });
    await drain();
    expect((await listNotifications(alice)).items.some((i) => i.reply.id === pending.id)).toBe(false);
    await decide(mod, "PUBLISH", [{ id: pending.id, version: 1 }], null);
    await drain();
    expect((await listNotifications(alice)).items.some((i) => i.reply.id === pending.id)).toBe(true);

    const gone = await createReply(bob, mine.id, { kind: "ANNOTATION", body: "Soon deleted." });
    await drain();
    const withIt = await countUnread(alice);
    await deleteContribution(bob, gone.id, undefined);
    expect(await countUnread(alice)).toBe(withIt - 1);
    expect((await listNotifications(alice)).items.some((i) => i.reply.id === gone.id)).toBe(false);
  });

  it("marks read only the reader's own, one or all", async () => {
    const mine = await data.post(alice, post, { body: "A third claim." });
    const r1 = await createReply(bob, mine.id, { kind: "ANNOTATION", body: "One." });
    const r2 = await createReply(bob, mine.id, { kind: "ANNOTATION", body: "Two." });
    await drain();
    const items = (await listNotifications(alice)).items;
    const n1 = items.find((i) => i.reply.id === r1.id)!;
    expect((await markRead(bob, markReadSchema.parse({ ids: [n1.id] }))).marked).toBe(0);
    expect((await markRead(alice, markReadSchema.parse({ ids: [n1.id] }))).marked).toBe(1);
    const after = (await listNotifications(alice)).items;
    expect(after.find((i) => i.id === n1.id)!.read).toBe(true);
    expect(after.find((i) => i.reply.id === r2.id)!.read).toBe(false);
    await markRead(alice, markReadSchema.parse({ all: true }));
    expect(await countUnread(alice)).toBe(0);
    expect(markReadSchema.safeParse({ ids: [] }).success).toBe(false);
    expect(markReadSchema.safeParse({ all: false }).success).toBe(false);
  });
});
