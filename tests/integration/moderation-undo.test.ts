import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { getDb, type Db } from "@/lib/db/client";
import { createAppeal } from "@/lib/moderation/create-appeal";
import { decide } from "@/lib/moderation/decide";
import { decideAppeal } from "@/lib/moderation/decide-appeal";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { listQueue } from "@/lib/moderation/list-queue";
import { queueQuerySchema } from "@/lib/moderation/schemas";
import { undoDecision, UNDO_WINDOW_MS } from "@/lib/moderation/undo-decision";
import type { LoadedArticle } from "./support/fixtures";
import { appError, moderationData, type TestUser } from "./support/moderation";

/**
 * Undo of a moderator's last decision (POST /api/admin/decisions/undo): the contribution gets its
 * status, reason and place in the queue back, the reports and the appeal it closed reopen, the
 * log keeps the decision and adds UNDO; refused when it is not the last decision, was undone,
 * is too old, or anything changed since, and for anyone but the moderator who decided.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let post: LoadedArticle;
let author: TestUser;
let mod: TestUser;
let mod2: TestUser;
let readers: TestUser[];

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  post = await data.article(2);
  author = await data.user({ name: "Una Author" });
  mod = await data.user({ role: "MODERATOR", name: "Ursula Undo" });
  mod2 = await data.user({ role: "MODERATOR", name: "Other Moderator" });
  readers = [await data.user(), await data.user()];
});

afterAll(async () => {
  await data?.cleanup();
});

const row = (id: string) => db.contribution.findUniqueOrThrow({ where: { id } });

describe("undoing the last decision", () => {
  it("puts a reported contribution back exactly: status, reason, queue place, open reports; the log keeps both", async () => {
    const c = await data.post(author, post);
    await flagContribution(readers[0]!, c.id, { reason: "SPAM" });
    await flagContribution(readers[1]!, c.id, { reason: "OFF_TOPIC" });
    const before = await row(c.id);
    expect(before.queuedAt).not.toBeNull();
    const [hidden] = await decide(mod, "HIDE", [{ id: c.id, version: before.version }], "Spam, by mistake");
    expect((await row(c.id)).status).toBe("HIDDEN");

    const [undone] = await undoDecision(mod, hidden!.batch);
    const after = await row(c.id);
    expect(undone).toEqual({ id: c.id, status: "PUBLISHED", version: before.version + 2 });
    expect(after).toMatchObject({ status: "PUBLISHED", moderationReason: null, openFlagCount: 2, version: before.version + 2 });
    expect(after.queuedAt?.toISOString()).toBe(before.queuedAt!.toISOString());
    const flags = await db.flag.findMany({ where: { contributionId: c.id } });
    expect(flags.map((f) => [f.status, f.resolvedAt, f.resolvedById])).toEqual([
      ["OPEN", null, null],
      ["OPEN", null, null],
    ]);
    // Back in the queue, reported.
    const queue = await listQueue(mod, queueQuerySchema.parse({ article: post.slug, limit: "100" }));
    expect(queue.items.map((i) => i.id)).toContain(c.id);
    const log = await db.moderationLog.findMany({ where: { contributionId: c.id }, orderBy: { createdAt: "asc" } });
    expect(log.map((l) => [l.action, l.fromStatus, l.toStatus])).toEqual([
      ["FLAG", null, null],
      ["FLAG", null, null],
      ["HIDE", "PUBLISHED", "HIDDEN"],
      ["UNDO", "HIDDEN", "PUBLISHED"],
    ]);
    expect(log[3]!.details).toMatchObject({ undoes: hidden!.batch, action: "HIDE" });
    expect(log[3]!.actorId).toBe(mod.id);
  });

  it("undoes a bulk decision as one, and an appeal's decision reopens the appeal", async () => {
    const a = await data.post(author, post);
    const b = await data.post(author, post);
    const results = await decide(mod, "REJECT", [{ id: a.id, version: 1 }, { id: b.id, version: 1 }], "Off-topic");
    expect(new Set(results.map((r) => r.batch)).size).toBe(1);
    expect(await undoDecision(mod, results[0]!.batch)).toHaveLength(2);
    expect((await row(a.id)).status).toBe("PUBLISHED");
    expect((await row(b.id)).status).toBe("PUBLISHED");

    const h = await data.post(author, post);
    await decide(mod, "HIDE", [{ id: h.id, version: 1 }], "Rude");
    await createAppeal(author, h.id, "It was not rude.");
    const denied = await decideAppeal(mod, { contributionId: h.id, version: (await row(h.id)).version, uphold: false, reason: "It was." });
    await undoDecision(mod, denied.batch);
    const appeal = await db.appeal.findUniqueOrThrow({ where: { contributionId: h.id } });
    expect(appeal).toMatchObject({ status: "OPEN", decidedAt: null, decidedById: null });
    expect((await row(h.id)).status).toBe("HIDDEN");
    expect((await row(h.id)).queuedAt).not.toBeNull();

    const upheld = await decideAppeal(mod, { contributionId: h.id, version: (await row(h.id)).version, uphold: true });
    expect((await row(h.id)).status).toBe("PUBLISHED");
    await undoDecision(mod, upheld.batch);
    expect((await row(h.id))).toMatchObject({ status: "HIDDEN", moderationReason: "Rude" });
    expect((await db.appeal.findUniqueOrThrow({ where: { contributionId: h.id } })).status).toBe("OPEN");
  });

  it("refuses (409) a second undo, an older decision, another moderator's decision, and one overtaken by an edit; nothing changes", async () => {
    const c = await data.post(author, post);
    const [first] = await decide(mod, "HIDE", [{ id: c.id, version: 1 }], "First");
    await undoDecision(mod, first!.batch);
    expect((await appError("stale", () => undoDecision(mod, first!.batch))).message).toMatch(/already undone/);

    const x = await data.post(author, post);
    const y = await data.post(author, post);
    const [older] = await decide(mod, "HIDE", [{ id: x.id, version: 1 }], "Older");
    await decide(mod, "HIDE", [{ id: y.id, version: 1 }], "Newer");
    expect((await appError("stale", () => undoDecision(mod, older!.batch))).message).toMatch(/only your last decision/i);
    expect((await row(x.id)).status).toBe("HIDDEN");

    // Another moderator cannot take back someone else's decision.
    const z = await data.post(author, post);
    const [theirs] = await decide(mod2, "HIDE", [{ id: z.id, version: 1 }], "Mine");
    await appError("not_found", () => undoDecision(mod, theirs!.batch));
    // Readers may not undo at all.
    await appError("forbidden", () => undoDecision(author, theirs!.batch));

    // Edited after the decision (the author changed it): undo would overwrite that, so no.
    const e = await data.post(author, post);
    const [rejected] = await decide(mod2, "REJECT", [{ id: e.id, version: 1 }], "Wrong");
    await updateContribution(author, e.id, { version: 2, body: "Corrected after the rejection." });
    const versionNow = (await row(e.id)).version;
    expect((await appError("stale", () => undoDecision(mod2, rejected!.batch))).message).toMatch(/changed after your decision/);
    expect(await row(e.id)).toMatchObject({ status: "REJECTED", version: versionNow });
  });

  it("refuses a decision older than the undo window", async () => {
    const c = await data.post(author, post);
    const [old] = await decide(mod2, "HIDE", [{ id: c.id, version: 1 }], "Long ago");
    // The log is append-only (a trigger refuses updates), so age the decision by asking with a later clock.
    const realNow = Date.now;
    Date.now = () => realNow() + UNDO_WINDOW_MS + 1000;
    try {
      expect((await appError("stale", () => undoDecision(mod2, old!.batch))).message).toMatch(/30 minutes/);
    } finally {
      Date.now = realNow;
    }
    expect((await row(c.id)).status).toBe("HIDDEN");
  });
});
