import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { createReply } from "@/lib/annotations/create-reply";
import { getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { pruneEvents, EVENT_RETENTION_MS, type LiveEvent } from "@/lib/live/events";
import { liveHub } from "@/lib/live/hub";
import type { LoadedArticle } from "./support/fixtures";
import { moderationData, type TestUser } from "./support/moderation";

/**
 * The live margin's server side on real PostgreSQL: the Contribution trigger writes ArticleEvent
 * rows and NOTIFYs at commit; the hub hears it through LISTEN and delivers to each stream only
 * what its viewer may see, with the paragraph's summary; a reconnect replays after its last id.
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
  author = await data.user({ name: "Lively Author" });
  other = await data.user({ name: "Watching Reader" });
  mod = await data.user({ role: "MODERATOR" });
});

afterAll(async () => {
  await data?.cleanup();
});

/** A stream's inbox: what it received, and a way to wait for the next matching event. */
async function watch(article: LoadedArticle, viewerId: string | null, from: bigint | null = null) {
  const received: LiveEvent[] = [];
  let resets = 0;
  const waiters: (() => void)[] = [];
  const articleId = (await db.article.findUniqueOrThrow({ where: { slug: article.slug } })).id;
  const stop = await liveHub().subscribe(
    {
      articleId,
      viewerId,
      send: (e) => {
        received.push(e);
        for (const w of waiters.splice(0)) w();
        return true;
      },
      reset: () => void resets++,
    },
    from,
  );
  return {
    received,
    resets: () => resets,
    stop,
    async next(match: (e: LiveEvent) => boolean, ms = 3000): Promise<LiveEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = received.find(match);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(received.map((r) => [r.type, r.contributionId]))}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
  };
}

describe("the live stream", () => {
  it("delivers a new contribution, a reply and a removal, each with the paragraph's summary", async () => {
    const w = await watch(post, other.id);
    const started = Date.now();
    const c = await data.post(author, post, { body: "Live one." });
    const posted = await w.next((e) => e.contributionId === c.id && e.type === "posted");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(posted.anchorId).toBe(c.anchorId);
    expect(posted.parentId).toBeNull();
    expect(posted.summary.counts.ANNOTATION).toBeGreaterThanOrEqual(1);

    const r = await createReply(other, c.id, { kind: "COUNTERPOINT", body: "Live reply." });
    const reply = await w.next((e) => e.contributionId === r.id);
    expect(reply).toMatchObject({ type: "posted", parentId: c.id, anchorId: c.anchorId });

    await decide(mod, "HIDE", [{ id: c.id, version: 1 }], "Testing removal");
    await w.next((e) => e.contributionId === c.id && e.type === "removed");
    await deleteContribution(other, r.id, undefined);
    await w.next((e) => e.contributionId === r.id && e.type === "removed");
    w.stop();
  });

  it("tells only the author of a pending contribution; readers and anonymous streams hear nothing of it", async () => {
    const reader = await watch(pre, other.id);
    const anonymous = await watch(pre, null);
    const own = await watch(pre, author.id);
    const c = await data.post(author, pre, { body: "Waiting for review." });
    await own.next((e) => e.contributionId === c.id && e.type === "posted");
    // Published: now everyone hears of it.
    await decide(mod, "PUBLISH", [{ id: c.id, version: 1 }], null);
    await reader.next((e) => e.contributionId === c.id && e.type === "posted");
    await anonymous.next((e) => e.contributionId === c.id && e.type === "posted");
    expect(reader.received.filter((e) => e.contributionId === c.id)).toHaveLength(1);
    for (const w of [reader, anonymous, own]) w.stop();
  });

  it("replays what a stream missed after its Last-Event-ID, and only that", async () => {
    const first = await watch(post, other.id);
    const a = await data.post(author, post, { body: "Seen before the drop." });
    const seen = await first.next((e) => e.contributionId === a.id);
    first.stop();
    const b = await data.post(author, post, { body: "Missed while offline." });
    const again = await watch(post, other.id, BigInt(seen.id));
    const missed = await again.next((e) => e.contributionId === b.id);
    expect(BigInt(missed.id)).toBeGreaterThan(BigInt(seen.id));
    expect(again.received.some((e) => e.contributionId === a.id)).toBe(false);
    again.stop();
  });

  // Two connections at once: real PostgreSQL only (PGlite has one).
  it.skipIf(!process.env.DATABASE_URL)("delivers an event committed after one with a higher id (writers committing out of id order)", async () => {
    const a = await data.post(author, post, { body: "First to take an id." });
    const b = await data.post(author, post, { body: "First to commit." });
    const w = await watch(post, other.id);
    const slow = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const fast = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await slow.connect();
    await fast.connect();
    try {
      await slow.query("BEGIN");
      await slow.query(`UPDATE "Contribution" SET body = 'Edited, committed last.' WHERE id = $1`, [a.id]);
      await fast.query(`UPDATE "Contribution" SET body = 'Edited, committed first.' WHERE id = $1`, [b.id]);
      const first = await w.next((e) => e.contributionId === b.id && e.type === "changed");
      await slow.query("COMMIT");
      const late = await w.next((e) => e.contributionId === a.id && e.type === "changed");
      expect(BigInt(late.id)).toBeLessThan(BigInt(first.id));
      expect(w.received.filter((e) => e.contributionId === b.id && e.type === "changed")).toHaveLength(1);
    } finally {
      w.stop();
      await slow.end();
      await fast.end();
    }
  });

  it("writes no event for changes readers cannot see (reports, queue times), and prunes old events", async () => {
    const c = await data.post(author, post, { body: "Quiet." });
    const before = await db.articleEvent.count({ where: { contributionId: c.id } });
    await db.contribution.update({ where: { id: c.id }, data: { openFlagCount: 1, queuedAt: new Date() } });
    expect(await db.articleEvent.count({ where: { contributionId: c.id } })).toBe(before);
    const later = new Date(Date.now() + EVENT_RETENTION_MS + 60_000);
    expect(await pruneEvents(db, later)).toBeGreaterThan(0);
    expect(await db.articleEvent.count({ where: { contributionId: c.id } })).toBe(0);
  });
});
