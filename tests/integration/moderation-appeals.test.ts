import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOwnContributions } from "@/lib/annotations/list-own-contributions";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { getDb, type Db } from "@/lib/db/client";
import { STATUS } from "@/lib/http/errors";
import { createAppeal } from "@/lib/moderation/create-appeal";
import { decide } from "@/lib/moderation/decide";
import { decideAppeal } from "@/lib/moderation/decide-appeal";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { listQueue } from "@/lib/moderation/list-queue";
import { queueQuerySchema } from "@/lib/moderation/schemas";
import type { LoadedArticle } from "./support/fixtures";
import { appError, logFor, moderationData, onServer, type TestUser } from "./support/moderation";

/**
 * Appeals: the author of a hidden or rejected contribution asks once (createAppeal, POST
 * /api/contributions/:id/appeal); a moderator upholds or denies, once (decideAppeal, POST
 * /api/admin/appeals). Every step is checked in the rows, the queue and the audit log.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let article: LoadedArticle;
let author: TestUser;
let other: TestUser;
let mod: TestUser;
let readers: TestUser[];

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  article = await data.article(2);
  author = await data.user({ name: "Appealing Author" });
  other = await data.user();
  mod = await data.user({ role: "MODERATOR" });
  readers = [await data.user(), await data.user(), await data.user()];
});

afterAll(async () => {
  await data?.cleanup();
});

const row = (id: string) => db.contribution.findUniqueOrThrow({ where: { id } });
const appealOf = (contributionId: string) => db.appeal.findUnique({ where: { contributionId } });
const queue = async () => (await listQueue(mod, queueQuerySchema.parse({ article: article.slug, limit: 100 }))).items;

/** A contribution by `author` taken down by a moderator with `decision`. */
async function takenDown(decision: "HIDE" | "REJECT" = "HIDE", reason = "Breaks the discussion rules") {
  const c = await data.post(author, article);
  await decide(mod, decision, [{ id: c.id, version: 1 }], reason);
  return c.id;
}

describe("createAppeal", () => {
  it("queues a hidden contribution with the author's appeal, once; a second appeal is a 409 conflict", async () => {
    const id = await takenDown("HIDE", "Looks like spam");
    const ownBefore = (await listOwnContributions(author)).items.find((i) => i.id === id);
    expect(ownBefore).toMatchObject({ status: "HIDDEN", moderationReason: "Looks like spam", canAppeal: true, appeal: null });
    expect((await row(id)).queuedAt).toBeNull();
    expect((await queue()).map((i) => i.id)).not.toContain(id);

    const { appealId } = await createAppeal(author, id, "It is a real source, please look again.");

    expect(await appealOf(id)).toMatchObject({ id: appealId, authorId: author.id, status: "OPEN", note: "It is a real source, please look again.", decidedAt: null });
    expect((await row(id)).queuedAt).toBeInstanceOf(Date);
    const queued = (await queue()).find((i) => i.id === id);
    expect(queued).toMatchObject({ status: "HIDDEN", appeal: { note: "It is a real source, please look again." }, decisions: ["REJECT", "RESTORE"] });
    const ownAfter = (await listOwnContributions(author)).items.find((i) => i.id === id);
    expect(ownAfter).toMatchObject({ canAppeal: false, appeal: { status: "OPEN", note: "It is a real source, please look again.", decidedAt: null } });

    const err = await appError("conflict", () => createAppeal(author, id, "Second try"));
    expect(STATUS[err.code]).toBe(409);
    expect(await db.appeal.count({ where: { contributionId: id } })).toBe(1);
    expect((await appealOf(id))!.note).toBe("It is a real source, please look again.");
  });

  it("accepts an appeal of a rejection", async () => {
    const id = await takenDown("REJECT");
    await createAppeal(author, id, "Please reconsider");
    expect((await appealOf(id))!.status).toBe("OPEN");
  });

  it("does not let anyone but the author appeal (not_found: they cannot even learn it exists)", async () => {
    const id = await takenDown();
    for (const user of [other, mod]) await appError("not_found", () => createAppeal(user, id, "On their behalf"));
    expect(await appealOf(id)).toBeNull();
  });

  it("forbids appealing a published or pending contribution: there is no decision to appeal", async () => {
    const published = await data.post(author, article);
    const err = await appError("forbidden", () => createAppeal(author, published.id, "Why not"));
    expect(STATUS[err.code]).toBe(403);
    const pending = await data.post(author, article);
    await db.contribution.update({ where: { id: pending.id }, data: { status: "PENDING" } });
    await appError("forbidden", () => createAppeal(author, pending.id, "Hurry up"));
    expect(await db.appeal.count({ where: { contributionId: { in: [published.id, pending.id] } } })).toBe(0);
  });

  it("answers not_found for an unknown or deleted contribution", async () => {
    await appError("not_found", () => createAppeal(author, randomUUID(), "?"));
    const id = await takenDown();
    await db.contribution.update({ where: { id }, data: { deletedAt: new Date() } });
    await appError("not_found", () => createAppeal(author, id, "?"));
  });
});

describe("decideAppeal", () => {
  it("uphold: restores it (PUBLISHED), closes the appeal as UPHELD, logs RESTORE and APPEAL_UPHELD", async () => {
    const id = await takenDown("HIDE", "Off topic");
    await createAppeal(author, id, "It answers the paragraph directly");
    const before = await row(id);

    const result = await decideAppeal(mod, { contributionId: id, version: before.version, uphold: true, reason: "Fair point" });

    expect(result).toEqual({ status: "PUBLISHED", batch: expect.any(String) });
    expect(await row(id)).toMatchObject({ status: "PUBLISHED", version: before.version + 1, queuedAt: null, moderationReason: null });
    const appeal = await appealOf(id);
    expect(appeal).toMatchObject({ status: "UPHELD", decidedById: mod.id });
    expect(appeal!.decidedAt).toBeInstanceOf(Date);
    const logs = await logFor(db, id);
    expect(logs.map((l) => l.action).sort()).toEqual(["APPEAL", "APPEAL_UPHELD", "HIDE", "RESTORE"]);
    for (const action of ["RESTORE", "APPEAL_UPHELD"]) {
      expect(logs.find((l) => l.action === action)).toMatchObject({
        actorId: mod.id,
        targetUserId: author.id,
        fromStatus: "HIDDEN",
        toStatus: "PUBLISHED",
        reason: "Fair point",
      });
    }
    const visible = await listParagraphContributions(article.slug, article.paragraphs[0]!.anchorId, { limit: 100, viewerId: other.id });
    expect(visible.items.map((i) => i.id)).toContain(id);
    expect((await queue()).map((i) => i.id)).not.toContain(id);
    expect((await listOwnContributions(author)).items.find((i) => i.id === id)).toMatchObject({ canAppeal: false, appeal: { status: "UPHELD" } });
  });

  it("deny: keeps the status, closes the appeal as DENIED, logs APPEAL_DENIED with the reason", async () => {
    const id = await takenDown("REJECT", "Not a source");
    await createAppeal(author, id, "It is a source");
    const before = await row(id);

    const result = await decideAppeal(mod, { contributionId: id, version: before.version, uphold: false, reason: "The link is an advert" });

    expect(result).toEqual({ status: "REJECTED", batch: expect.any(String) });
    expect(await row(id)).toMatchObject({ status: "REJECTED", version: before.version + 1, queuedAt: null, moderationReason: "Not a source" });
    expect(await appealOf(id)).toMatchObject({ status: "DENIED", decidedById: mod.id });
    const denied = (await logFor(db, id)).filter((l) => l.action === "APPEAL_DENIED");
    expect(denied).toEqual([
      expect.objectContaining({ actorId: mod.id, targetUserId: author.id, fromStatus: "REJECTED", toStatus: "REJECTED", reason: "The link is an advert" }),
    ]);
    expect((await queue()).map((i) => i.id)).not.toContain(id);
  });

  it("an appeal is decided once: deciding it again either way is stale (409), even on the current version", async () => {
    const upheld = await takenDown();
    await createAppeal(author, upheld, "Please");
    await decideAppeal(mod, { contributionId: upheld, version: 2, uphold: true });
    const denied = await takenDown();
    await createAppeal(author, denied, "Please");
    await decideAppeal(mod, { contributionId: denied, version: 2, uphold: false, reason: "No" });

    for (const id of [upheld, denied]) {
      const before = await row(id);
      const appeal = await appealOf(id);
      const logs = await logFor(db, id);
      for (const uphold of [true, false]) {
        // With the version the moderator saw before, and with the current one (after a reload).
        for (const version of [2, before.version]) {
          const err = await appError("stale", () => decideAppeal(mod, { contributionId: id, version, uphold, reason: "Again" }));
          expect(STATUS[err.code]).toBe(409);
        }
      }
      expect(await row(id)).toEqual(before);
      expect(await appealOf(id)).toEqual(appeal);
      expect(await logFor(db, id)).toEqual(logs);
    }
  });

  it("answers not_found when there is no appeal to decide, and changes nothing", async () => {
    const id = await takenDown();
    const before = await row(id);
    for (const uphold of [false, true]) {
      await appError("not_found", () => decideAppeal(mod, { contributionId: id, version: before.version, uphold }));
    }
    expect(await row(id)).toEqual(before);
    expect((await logFor(db, id)).map((l) => l.action)).toEqual(["HIDE"]);
  });

  it("refuses a decision on an older version (stale) and a non-moderator (forbidden)", async () => {
    const id = await takenDown();
    await createAppeal(author, id, "Please");
    const before = await row(id);
    for (const uphold of [true, false]) {
      await appError("stale", () => decideAppeal(mod, { contributionId: id, version: before.version - 1, uphold }));
      for (const user of [author, other]) await appError("forbidden", () => decideAppeal(user, { contributionId: id, version: before.version, uphold }));
    }
    expect(await row(id)).toEqual(before);
    expect((await appealOf(id))!.status).toBe("OPEN");
  });

  it("a reject decision on an appealed hidden contribution denies the appeal (APPEAL_DENIED)", async () => {
    const id = await takenDown("HIDE", "Rude");
    await createAppeal(author, id, "I was quoting");
    await decide(mod, "REJECT", [{ id, version: 2 }], "Still rude");
    expect(await appealOf(id)).toMatchObject({ status: "DENIED", decidedById: mod.id });
    expect((await logFor(db, id)).filter((l) => l.action === "APPEAL_DENIED")).toEqual([
      expect.objectContaining({ fromStatus: "HIDDEN", toStatus: "REJECTED", reason: "Still rude" }),
    ]);
  });

  it("denying the appeal of an auto-hidden contribution resolves its open flags (every decision closes them)", async () => {
    const c = await data.post(author, article, { p: 1 });
    for (const r of readers) await flagContribution(r, c.id, { reason: "SPAM" });
    expect((await row(c.id)).status).toBe("HIDDEN");
    await createAppeal(author, c.id, "Not spam: this is my research");

    await decideAppeal(mod, { contributionId: c.id, version: 2, uphold: false, reason: "It is spam" });

    expect(await row(c.id)).toMatchObject({ status: "HIDDEN", queuedAt: null, openFlagCount: 0 });
    expect(await db.flag.count({ where: { contributionId: c.id, status: "OPEN" } })).toBe(0);
  });
});

// PGlite has exactly one connection: two transactions cannot overlap there, so there is no race to test.
describe.runIf(onServer)("concurrent appeals on a PostgreSQL server", () => {
  it("two appeals at once: one is stored, the other is a 409 conflict", async () => {
    const id = await takenDown();
    const results = await Promise.allSettled([createAppeal(author, id, "First"), createAppeal(author, id, "Second")]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason).toMatchObject({ code: "conflict" });
    expect(await db.appeal.count({ where: { contributionId: id } })).toBe(1);
  });

  it("an uphold and a deny at once: exactly one decides the appeal", async () => {
    const id = await takenDown();
    await createAppeal(author, id, "Please");
    const results = await Promise.allSettled([
      decideAppeal(mod, { contributionId: id, version: 2, uphold: true }),
      decideAppeal(mod, { contributionId: id, version: 2, uphold: false, reason: "No" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason).toMatchObject({ code: "stale" });
    const appeal = await appealOf(id);
    const logs = (await logFor(db, id)).map((l) => l.action).filter((a) => a.startsWith("APPEAL_"));
    expect(logs).toEqual([appeal!.status === "UPHELD" ? "APPEAL_UPHELD" : "APPEAL_DENIED"]);
  });
});
