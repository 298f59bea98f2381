import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listOwnContributions } from "@/lib/annotations/list-own-contributions";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { getDb, type Db } from "@/lib/db/client";
import { STATUS } from "@/lib/http/errors";
import { moderationConfig } from "@/lib/moderation/config";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import type { LoadedArticle } from "./support/fixtures";
import { appError, decisionsFor, logFor, moderationData, onServer, type TestUser } from "./support/moderation";

/**
 * Readers' flags through flagContribution() (POST /api/contributions/:id/flags): one open
 * flag per reader, the queue, and the automatic hide at N flags from distinct readers, with
 * what readers and the author see afterwards.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let article: LoadedArticle;
let author: TestUser;
let mod: TestUser;
let readers: TestUser[];

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  article = await data.article(3);
  author = await data.user({ name: "Ari Author" });
  mod = await data.user({ role: "MODERATOR" });
  readers = [];
  for (let i = 0; i < 6; i++) readers.push(await data.user({ name: `Reader ${i}` }));
});

afterAll(async () => {
  await data?.cleanup();
});

const savedThreshold = process.env.MODERATION_AUTO_HIDE_FLAGS;
afterEach(() => {
  if (savedThreshold === undefined) delete process.env.MODERATION_AUTO_HIDE_FLAGS;
  else process.env.MODERATION_AUTO_HIDE_FLAGS = savedThreshold;
});

const row = (id: string) => db.contribution.findUniqueOrThrow({ where: { id } });
const flagsOf = (contributionId: string) => db.flag.findMany({ where: { contributionId }, orderBy: { createdAt: "asc" } });
const visibleTo = async (viewerId: string | null, p = 0) =>
  (await listParagraphContributions(article.slug, article.paragraphs[p]!.anchorId, { limit: 100, viewerId })).items;

describe("auto-hide at N flags (default 3)", () => {
  it("uses 3 unless MODERATION_AUTO_HIDE_FLAGS says otherwise (a positive integer); a bad value is refused, naming it", () => {
    delete process.env.MODERATION_AUTO_HIDE_FLAGS;
    expect(moderationConfig.autoHideFlags).toBe(3);
    process.env.MODERATION_AUTO_HIDE_FLAGS = "5";
    expect(moderationConfig.autoHideFlags).toBe(5);
    process.env.MODERATION_AUTO_HIDE_FLAGS = "";
    expect(moderationConfig.autoHideFlags, "empty = unset").toBe(3);
    for (const bad of ["0", "-2", "abc", "2.5"]) {
      process.env.MODERATION_AUTO_HIDE_FLAGS = bad;
      expect(() => moderationConfig.autoHideFlags, bad).toThrow(/Invalid environment:\n  MODERATION_AUTO_HIDE_FLAGS: /);
    }
    delete process.env.MODERATION_AUTO_HIDE_FLAGS;
  });

  it("keeps it published and queued at 2 flags; the 3rd reader's flag hides it and logs AUTO_HIDE", async () => {
    delete process.env.MODERATION_AUTO_HIDE_FLAGS;
    const p = 1;
    const c = await data.post(author, article, { p });
    const anchor = article.paragraphs[p]!.anchorId;
    const countFor = async (viewer: string | null) => {
      const s = (await paragraphSummaries(article.articleId, viewer)).get(anchor);
      return s ? s.counts.ANNOTATION : 0;
    };
    expect(await countFor(readers[5]!.id)).toBe(1);

    const first = await flagContribution(readers[0]!, c.id, { reason: "SPAM" });
    expect(first.autoHidden).toBe(false);
    const queuedAt = (await row(c.id)).queuedAt;
    expect(queuedAt).toBeInstanceOf(Date);

    const second = await flagContribution(readers[1]!, c.id, { reason: "HARASSMENT", note: "Insults another reader" });
    expect(second.autoHidden).toBe(false);
    expect(await row(c.id)).toMatchObject({ status: "PUBLISHED", openFlagCount: 2, version: 1, queuedAt });
    expect((await visibleTo(readers[5]!.id, p)).map((i) => i.id)).toContain(c.id);
    expect(await decisionsFor(db, c.id)).toEqual([]);

    const third = await flagContribution(readers[2]!, c.id, { reason: "SPAM" });
    expect(third.autoHidden).toBe(true);
    // Each report is in the audit log too, by its reader, before the automatic hide.
    const all = await logFor(db, c.id);
    expect(all.filter((l) => l.action === "FLAG").map((l) => l.actorId).sort()).toEqual(
      [readers[0]!.id, readers[1]!.id, readers[2]!.id].sort(),
    );
    expect(all.at(-1)?.action).toBe("AUTO_HIDE");

    const hidden = await row(c.id);
    expect(hidden).toMatchObject({ status: "HIDDEN", openFlagCount: 3, version: 2, queuedAt });
    expect(hidden.moderationReason).toMatch(/hidden automatically/i);
    const logs = await decisionsFor(db, c.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      action: "AUTO_HIDE",
      actorId: null,
      targetUserId: author.id,
      contributionId: c.id,
      fromStatus: "PUBLISHED",
      toStatus: "HIDDEN",
    });
    expect(logs[0]!.reason).toMatch(/3/);
    expect(Date.now() - logs[0]!.createdAt.getTime()).toBeLessThan(60_000);

    // Gone for other readers (signed in or not), from the list and from the counts and highlights.
    for (const viewer of [readers[0]!.id, readers[5]!.id, null]) {
      expect((await visibleTo(viewer, p)).map((i) => i.id)).not.toContain(c.id);
      expect(await countFor(viewer)).toBe(0);
      expect((await paragraphSummaries(article.articleId, viewer)).get(anchor)?.highlights ?? []).toEqual([]);
    }
    // Still there for its author, labelled, with the reason.
    const own = (await visibleTo(author.id, p)).find((i) => i.id === c.id);
    expect(own).toMatchObject({ status: "HIDDEN", mine: true, moderationReason: hidden.moderationReason });
    expect(await countFor(author.id)).toBe(1);
    const mine = (await listOwnContributions(author)).items.find((i) => i.id === c.id);
    expect(mine).toMatchObject({ status: "HIDDEN", moderationReason: hidden.moderationReason, canAppeal: true });

    // A hidden contribution cannot be flagged any more: readers cannot see it.
    await appError("not_found", () => flagContribution(readers[3]!, c.id, { reason: "SPAM" }));
    expect(await flagsOf(c.id)).toHaveLength(3);
  });

  it("counts distinct readers: one reader's repeated flags never reach the threshold", async () => {
    const c = await data.post(author, article);
    await flagContribution(readers[0]!, c.id, { reason: "SPAM" });
    for (let i = 0; i < 3; i++) await appError("conflict", () => flagContribution(readers[0]!, c.id, { reason: "SPAM" }));
    expect(await row(c.id)).toMatchObject({ status: "PUBLISHED", openFlagCount: 1 });
  });

  it("follows MODERATION_AUTO_HIDE_FLAGS: hides at the 2nd flag when it is 2, not at the 4th when it is 5", async () => {
    process.env.MODERATION_AUTO_HIDE_FLAGS = "2";
    const low = await data.post(author, article);
    expect((await flagContribution(readers[0]!, low.id, { reason: "SPAM" })).autoHidden).toBe(false);
    expect((await flagContribution(readers[1]!, low.id, { reason: "SPAM" })).autoHidden).toBe(true);
    expect((await row(low.id)).status).toBe("HIDDEN");
    expect((await decisionsFor(db, low.id))[0]).toMatchObject({ action: "AUTO_HIDE", reason: "2 open reports (threshold 2)" });

    process.env.MODERATION_AUTO_HIDE_FLAGS = "5";
    const high = await data.post(author, article);
    for (const r of readers.slice(0, 4)) expect((await flagContribution(r, high.id, { reason: "OFF_TOPIC" })).autoHidden).toBe(false);
    expect(await row(high.id)).toMatchObject({ status: "PUBLISHED", openFlagCount: 4 });
    expect((await flagContribution(readers[4]!, high.id, { reason: "OFF_TOPIC" })).autoHidden).toBe(true);
  });
});

describe("one flag per reader", () => {
  it("refuses a second open flag by the same reader (409 conflict) and keeps one row", async () => {
    const c = await data.post(author, article);
    await flagContribution(readers[0]!, c.id, { reason: "MISINFORMATION", note: "The figure is from 1990" });
    const err = await appError("conflict", () => flagContribution(readers[0]!, c.id, { reason: "SPAM" }));
    expect(STATUS[err.code]).toBe(409);
    const flags = await flagsOf(c.id);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ reporterId: readers[0]!.id, reason: "MISINFORMATION", note: "The figure is from 1990", status: "OPEN" });
    expect((await row(c.id)).openFlagCount).toBe(1);
  });

  it("forbids the author to flag their own contribution", async () => {
    const c = await data.post(author, article);
    const err = await appError("forbidden", () => flagContribution(author, c.id, { reason: "SPAM" }));
    expect(STATUS[err.code]).toBe(403);
    expect(await flagsOf(c.id)).toEqual([]);
    expect((await row(c.id)).queuedAt).toBeNull();
  });

  it("lets a moderator flag like any reader", async () => {
    const c = await data.post(author, article);
    await flagContribution(mod, c.id, { reason: "OTHER", note: "Check the link" });
    expect(await flagsOf(c.id)).toHaveLength(1);
  });

  it("answers not_found for an unknown, deleted or pending contribution", async () => {
    await appError("not_found", () => flagContribution(readers[0]!, randomUUID(), { reason: "SPAM" }));
    const deleted = await data.post(author, article);
    await db.contribution.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    await appError("not_found", () => flagContribution(readers[0]!, deleted.id, { reason: "SPAM" }));
    const pending = await data.post(author, article);
    await db.contribution.update({ where: { id: pending.id }, data: { status: "PENDING" } });
    await appError("not_found", () => flagContribution(readers[0]!, pending.id, { reason: "SPAM" }));
  });

  it("after a KEEP closes the flags, the same reader may flag again: the row is reopened, not duplicated", async () => {
    delete process.env.MODERATION_AUTO_HIDE_FLAGS;
    const c = await data.post(author, article, { p: 2 });
    const { flagId } = await flagContribution(readers[0]!, c.id, { reason: "SPAM" });
    await flagContribution(readers[1]!, c.id, { reason: "SPAM" });
    await decide(mod, "KEEP", [{ id: c.id, version: 1 }], null);
    expect(await row(c.id)).toMatchObject({ status: "PUBLISHED", openFlagCount: 0, queuedAt: null });

    const again = await flagContribution(readers[0]!, c.id, { reason: "HARASSMENT", note: "It got worse" });
    expect(again).toEqual({ flagId, autoHidden: false });
    const flags = await flagsOf(c.id);
    expect(flags).toHaveLength(2);
    expect(flags.find((f) => f.id === flagId)).toMatchObject({
      status: "OPEN",
      reason: "HARASSMENT",
      note: "It got worse",
      resolvedAt: null,
      resolvedById: null,
    });
    const reopened = await row(c.id);
    expect(reopened).toMatchObject({ status: "PUBLISHED", openFlagCount: 1 });
    expect(reopened.queuedAt).toBeInstanceOf(Date);

    // Closed flags do not count towards the threshold: two more readers are needed, not one.
    await flagContribution(readers[1]!, c.id, { reason: "SPAM" });
    expect((await row(c.id)).status).toBe("PUBLISHED");
    expect((await flagContribution(readers[2]!, c.id, { reason: "SPAM" })).autoHidden).toBe(true);
    expect((await decisionsFor(db, c.id)).map((l) => l.action)).toEqual(["KEEP", "AUTO_HIDE"]);
  });
});

// PGlite has exactly one connection: two transactions cannot overlap there, so there is no race to test.
describe.runIf(onServer)("concurrent flags on a PostgreSQL server", () => {
  it("three readers flagging at once hide it exactly once", async () => {
    delete process.env.MODERATION_AUTO_HIDE_FLAGS;
    const c = await data.post(author, article);
    const results = await Promise.all(readers.slice(0, 3).map((r) => flagContribution(r, c.id, { reason: "SPAM" })));
    expect(results.filter((r) => r.autoHidden)).toHaveLength(1);
    expect(await row(c.id)).toMatchObject({ status: "HIDDEN", openFlagCount: 3, version: 2 });
    expect((await decisionsFor(db, c.id)).map((l) => l.action)).toEqual(["AUTO_HIDE"]);
  });

  it("the same reader flagging twice at once gets one flag and one 409", async () => {
    const c = await data.post(author, article);
    const results = await Promise.allSettled([
      flagContribution(readers[0]!, c.id, { reason: "SPAM" }),
      flagContribution(readers[0]!, c.id, { reason: "OFF_TOPIC" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason).toMatchObject({ code: "conflict" });
    expect(await flagsOf(c.id)).toHaveLength(1);
    expect((await row(c.id)).openFlagCount).toBe(1);
  });
});
