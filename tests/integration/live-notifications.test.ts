import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReply } from "@/lib/annotations/create-reply";
import { getDb, type Db } from "@/lib/db/client";
import { openArticleStream, openUserStream } from "@/lib/live/open-stream";
import { userHub } from "@/lib/live/user-hub";
import { liveHub } from "@/lib/live/hub";
import { notifyReplies } from "@/lib/notifications/notify-replies";
import type { LoadedArticle } from "./support/fixtures";
import { moderationData, type TestUser } from "./support/moderation";

/**
 * Notifications arrive live, on real PostgreSQL: a notification written (here by the notifier, as
 * in the app) is announced by the Notification trigger, heard by this instance's one LISTEN, and
 * nudges that person's streams — their own notification stream and the article streams they
 * watch — and nobody else's; a closed stream leaves nothing behind.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let article: LoadedArticle;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  article = await data.article(2);
  alice = await data.user({ name: "Streaming Alice" });
  bob = await data.user({ name: "Streaming Bob" });
  carol = await data.user({ name: "Streaming Carol" });
});

afterAll(async () => {
  await data?.cleanup();
});

const decoder = new TextDecoder();

/** Reads a stream's frames as they come; `until` waits for one that matches. */
function reader(stream: ReadableStream<Uint8Array>) {
  const r = stream.getReader();
  let text = "";
  let done = false;
  const pump = (async () => {
    for (;;) {
      const chunk = await r.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    done = true;
  })();
  return {
    text: () => text,
    ended: () => done,
    async until(pattern: RegExp, ms = 3000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; got ${JSON.stringify(text)}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    count: (pattern: RegExp) => (text.match(new RegExp(pattern, "g")) ?? []).length,
    cancel: () => r.cancel(),
    pump,
  };
}

describe("live notifications", () => {
  it("a reply's notification nudges its recipient's streams within moments, not anyone else's; closing them leaves nothing", async () => {
    const mine = await data.post(bob, article, { body: "Bob waits for answers." });
    await notifyReplies(db); // Bob's own post is not news to anyone yet
    const own = new AbortController();
    const bobStream = reader(openUserStream(bob.id, own.signal));
    const bobArticle = new AbortController();
    const bobOnArticle = reader(await openArticleStream(article.slug, bob.id, null, bobArticle.signal));
    const carolCtl = new AbortController();
    const carolStream = reader(openUserStream(carol.id, carolCtl.signal));
    await bobStream.until(/event: hello/);
    await carolStream.until(/event: hello/);
    await bobOnArticle.until(/event: hello/);
    expect(userHub().size(bob.id)).toBe(2);

    await createReply(alice, mine.id, { kind: "ANNOTATION", body: "Alice answers." });
    const started = Date.now();
    expect((await notifyReplies(db)).notified).toBeGreaterThan(0);
    await bobStream.until(/event: notifications/, 2000);
    await bobOnArticle.until(/event: notifications/, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    // News to Bob, not to Carol, who has nothing to do with it.
    await new Promise((r) => setTimeout(r, 200));
    expect(carolStream.count(/event: notifications/)).toBe(0);

    // Bob reads it (another change of his notifications): nudged again.
    const before = bobStream.count(/event: notifications/);
    await db.notification.updateMany({ where: { userId: bob.id }, data: { readAt: new Date() } });
    await bobStream.until(new RegExp(`(event: notifications[\\s\\S]*){${before + 1}}`), 2000);

    // Closing: the browser goes away (abort) or the stream is cancelled — nothing stays subscribed.
    own.abort();
    await bobOnArticle.cancel();
    carolCtl.abort();
    await bobStream.pump;
    expect(bobStream.ended()).toBe(true);
    expect(userHub().size(bob.id)).toBe(0);
    expect(userHub().size(carol.id)).toBe(0);
    expect(liveHub().size()).toBe(0);
  });

  it("a stream whose browser does not read is closed at its queue's bound, and unsubscribed", async () => {
    const ctl = new AbortController();
    const stream = openUserStream(alice.id, ctl.signal);
    const r = stream.getReader();
    await r.read(); // hello; after that, nothing is read
    expect(userHub().size(alice.id)).toBe(1); // "hello" comes once it is subscribed
    for (let i = 0; i < 400; i++) userHub().nudge(alice.id);
    expect(userHub().size(alice.id)).toBe(0);
    await r.cancel();
  });
});
