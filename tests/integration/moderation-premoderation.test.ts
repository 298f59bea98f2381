import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOwnContributions } from "@/lib/annotations/list-own-contributions";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { getDb, type Db } from "@/lib/db/client";
import { STATUS } from "@/lib/http/errors";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { listQueue } from "@/lib/moderation/list-queue";
import { queueQuerySchema } from "@/lib/moderation/schemas";
import { setArticlePolicy } from "@/lib/moderation/set-article-policy";
import type { LoadedArticle } from "./support/fixtures";
import { appError, logFor, moderationData, type TestUser } from "./support/moderation";

/**
 * Pre-moderation, per article: an admin switches it on (setArticlePolicy); new contributions
 * then wait as PENDING — visible to their author only — until a moderator publishes them, and
 * an edit to a published one sends it back for review (REQUEUE_EDIT).
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let article: LoadedArticle;
let author: TestUser;
let reader: TestUser;
let mod: TestUser;
let admin: TestUser;

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  article = await data.article(2);
  author = await data.user({ name: "Premod Author" });
  reader = await data.user();
  mod = await data.user({ role: "MODERATOR" });
  admin = await data.user({ role: "ADMIN" });
});

afterAll(async () => {
  await data?.cleanup();
});

const row = (id: string) => db.contribution.findUniqueOrThrow({ where: { id } });
const anchor = (p: number) => article.paragraphs[p]!.anchorId;
const ids = async (viewerId: string | null, p = 0) =>
  (await listParagraphContributions(article.slug, anchor(p), { limit: 100, viewerId })).items.map((i) => i.id);
const count = async (viewerId: string | null, p = 0) => {
  const s = (await paragraphSummaries(article.articleId, viewerId)).get(anchor(p));
  return s ? s.counts.ANNOTATION + s.counts.COUNTERPOINT + s.counts.SOURCE : 0;
};
const policy = async () => (await db.article.findUniqueOrThrow({ where: { slug: article.slug } })).moderationPolicy;

describe("setArticlePolicy", () => {
  it("is for admins only: moderators and readers are forbidden; an unknown article is not_found", async () => {
    for (const user of [mod, reader]) {
      const err = await appError("forbidden", () => setArticlePolicy(user, article.slug, "PRE_MODERATION"));
      expect(STATUS[err.code]).toBe(403);
    }
    expect(await policy()).toBe("POST_MODERATION");
    await appError("not_found", () => setArticlePolicy(admin, `no-such-article-${article.slug}`, "PRE_MODERATION"));
  });

  it("switches an article to pre-moderation and back", async () => {
    expect(await setArticlePolicy(admin, article.slug, "PRE_MODERATION")).toEqual({ slug: article.slug, moderationPolicy: "PRE_MODERATION" });
    expect(await policy()).toBe("PRE_MODERATION");
    await setArticlePolicy(admin, article.slug, "POST_MODERATION");
    expect(await policy()).toBe("POST_MODERATION");
  });
});

describe("under pre-moderation", () => {
  beforeAll(async () => {
    await setArticlePolicy(admin, article.slug, "PRE_MODERATION");
  });

  it("holds a new contribution as PENDING: invisible to other readers and visitors, visible (labelled) to its author", async () => {
    const c = await data.post(author, article);
    expect(c).toMatchObject({ status: "PENDING", mine: true });
    const stored = await row(c.id);
    expect(stored.status).toBe("PENDING");
    expect(stored.queuedAt).toBeInstanceOf(Date);

    for (const viewer of [reader.id, mod.id, null]) {
      expect(await ids(viewer)).not.toContain(c.id);
      expect(await count(viewer)).toBe(0);
    }
    const own = (await listParagraphContributions(article.slug, anchor(0), { limit: 100, viewerId: author.id })).items.find((i) => i.id === c.id);
    expect(own).toMatchObject({ status: "PENDING", mine: true });
    expect(await count(author.id)).toBe(1);
    expect((await listOwnContributions(author)).items.find((i) => i.id === c.id)).toMatchObject({ status: "PENDING", canAppeal: false });

    // It waits in the queue, and cannot be flagged meanwhile: nobody else can see it.
    const queued = (await listQueue(mod, queueQuerySchema.parse({ article: article.slug, status: "PENDING" }))).items.map((i) => i.id);
    expect(queued).toContain(c.id);
    await appError("not_found", () => flagContribution(reader, c.id, { reason: "SPAM" }));

    // Publishing makes it visible to everyone and takes it out of the queue.
    await decide(mod, "PUBLISH", [{ id: c.id, version: 1 }], null);
    for (const viewer of [reader.id, author.id, null]) expect(await ids(viewer)).toContain(c.id);
    expect(await count(null)).toBe(1);
    expect(await row(c.id)).toMatchObject({ status: "PUBLISHED", queuedAt: null, version: 2 });
    expect(await logFor(db, c.id)).toEqual([
      expect.objectContaining({ action: "PUBLISH", actorId: mod.id, fromStatus: "PENDING", toStatus: "PUBLISHED" }),
    ]);
  });

  it("sends a published contribution back to PENDING when its author edits it, logged as REQUEUE_EDIT", async () => {
    const c = await data.post(author, article, { p: 1 });
    await decide(mod, "PUBLISH", [{ id: c.id, version: 1 }], null);
    expect(await ids(reader.id, 1)).toContain(c.id);

    const edited = await updateContribution(author, c.id, { version: 2, body: "Now with a claim nobody has reviewed" });

    expect(edited).toMatchObject({ status: "PENDING", version: 3, body: "Now with a claim nobody has reviewed" });
    const stored = await row(c.id);
    expect(stored.status).toBe("PENDING");
    expect(stored.queuedAt).toBeInstanceOf(Date);
    expect(await ids(reader.id, 1)).not.toContain(c.id);
    expect(await ids(null, 1)).not.toContain(c.id);
    expect(await ids(author.id, 1)).toContain(c.id);

    const requeue = (await logFor(db, c.id)).filter((l) => l.action === "REQUEUE_EDIT");
    expect(requeue).toEqual([
      expect.objectContaining({ actorId: null, targetUserId: author.id, fromStatus: "PUBLISHED", toStatus: "PENDING" }),
    ]);
    expect(requeue[0]!.reason).toMatch(/pre-moderated/);

    // The moderator publishes the edited text.
    await decide(mod, "PUBLISH", [{ id: c.id, version: 3 }], null);
    expect(await ids(reader.id, 1)).toContain(c.id);
  });

  it("keeps a pending contribution pending when edited, without another audit row", async () => {
    const c = await data.post(author, article);
    await updateContribution(author, c.id, { version: 1, body: "Fixed a typo before review" });
    expect(await row(c.id)).toMatchObject({ status: "PENDING", version: 2 });
    expect(await logFor(db, c.id)).toEqual([]);
  });

  it("a rejected pending contribution stays visible to its author only, with the reason", async () => {
    const c = await data.post(author, article);
    await decide(mod, "REJECT", [{ id: c.id, version: 1 }], "Not about this paragraph");
    expect(await ids(reader.id)).not.toContain(c.id);
    const own = (await listParagraphContributions(article.slug, anchor(0), { limit: 100, viewerId: author.id })).items.find((i) => i.id === c.id);
    expect(own).toMatchObject({ status: "REJECTED", moderationReason: "Not about this paragraph" });
  });
});

describe("back to post-moderation", () => {
  it("publishes new contributions at once and does not re-queue edits; earlier pending ones still wait", async () => {
    await setArticlePolicy(admin, article.slug, "PRE_MODERATION");
    const waiting = await data.post(author, article);
    await setArticlePolicy(admin, article.slug, "POST_MODERATION");

    const c = await data.post(author, article);
    expect(c.status).toBe("PUBLISHED");
    expect((await row(c.id)).queuedAt).toBeNull();
    expect(await ids(reader.id)).toContain(c.id);
    await updateContribution(author, c.id, { version: 1, body: "Edited after publication" });
    expect((await row(c.id)).status).toBe("PUBLISHED");
    expect(await logFor(db, c.id)).toEqual([]);

    expect((await row(waiting.id)).status).toBe("PENDING");
    expect(await ids(reader.id)).not.toContain(waiting.id);
  });
});
