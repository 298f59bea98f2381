import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { updateContribution } from "@/lib/annotations/update-contribution";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import type { ContributionStatus } from "@/lib/generated/prisma/enums";
import { STATUS } from "@/lib/http/errors";
import { decide, type StaleItem } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { DECISIONS, type Decision } from "@/lib/moderation/status-machine";
import type { LoadedArticle } from "./support/fixtures";
import { appError, decisionsFor, logFor, moderationData, onServer, type TestUser } from "./support/moderation";
import { EXPECTED_TRANSITIONS } from "./support/status-table";

/**
 * Moderators' decisions through decide(), the function behind POST /api/admin/decisions:
 * every transition of the status machine against real rows, 409 for anything stale (one item
 * or a bulk, all or nothing), who may decide, and what a decision writes (status, version,
 * reason, queue, flags, audit row).
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let post: LoadedArticle; // post-moderated
let pre: LoadedArticle; // pre-moderated: new contributions start PENDING
let author: TestUser;
let mod: TestUser;
let mod2: TestUser;
let admin: TestUser;
let readers: TestUser[];

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  post = await data.article(2);
  pre = await data.article(1, "PRE_MODERATION");
  author = await data.user({ name: "Avery Author" });
  mod = await data.user({ role: "MODERATOR", name: "Mo Moderator" });
  mod2 = await data.user({ role: "MODERATOR", name: "Mika Moderator" });
  admin = await data.user({ role: "ADMIN" });
  readers = [await data.user(), await data.user()];
});

afterAll(async () => {
  await data?.cleanup();
});

const row = (id: string) => db.contribution.findUniqueOrThrow({ where: { id } });
const item = async (id: string) => ({ id, version: (await row(id)).version });

/** A contribution in `status`, reached the way the product gets there. */
async function inStatus(status: ContributionStatus): Promise<string> {
  if (status === "PENDING") return (await data.post(author, pre)).id;
  const c = await data.post(author, post);
  if (status === "HIDDEN") await decide(mod, "HIDE", [await item(c.id)], "Setting up: hidden");
  if (status === "REJECTED") await decide(mod, "REJECT", [await item(c.id)], "Setting up: rejected");
  expect((await row(c.id)).status).toBe(status);
  return c.id;
}

const cells = (Object.keys(EXPECTED_TRANSITIONS) as ContributionStatus[]).flatMap((from) =>
  DECISIONS.map((d) => [from, d, EXPECTED_TRANSITIONS[from][d]] as const),
);

describe("every transition of the status machine, through decide()", () => {
  it.each(cells.filter(([, , to]) => to !== null))("%s --%s--> %s: applied, versioned, logged", async (from, decision, to) => {
    const id = await inStatus(from);
    const before = await row(id);
    const logsBefore = (await logFor(db, id)).length;

    const [result] = await decide(mod, decision, [{ id, version: before.version }], `Because ${decision}`);

    expect(result).toEqual({ id, fromStatus: from, toStatus: to, version: before.version + 1, batch: expect.any(String) });
    const after = await row(id);
    expect(after).toMatchObject({ status: to, version: before.version + 1, queuedAt: null, openFlagCount: 0 });
    // The reason is kept for the author when the contribution is taken down, cleared otherwise.
    expect(after.moderationReason).toBe(to === "HIDDEN" || to === "REJECTED" ? `Because ${decision}` : null);

    const logs = await logFor(db, id);
    expect(logs).toHaveLength(logsBefore + 1);
    const log = logs.find((l) => l.action === decision);
    expect(log).toMatchObject({
      actorId: mod.id,
      targetUserId: author.id,
      fromStatus: from,
      toStatus: to,
      reason: `Because ${decision}`,
    });
  });

  it.each(cells.filter(([, , to]) => to === null))("%s --%s--> refused: stale/not_allowed, nothing changed", async (from, decision) => {
    const id = await inStatus(from);
    const before = await row(id);
    const logsBefore = await logFor(db, id);

    const err = await appError("stale", () => decide(mod, decision, [{ id, version: before.version }], "Refused anyway"));

    expect(STATUS[err.code]).toBe(409);
    expect(err.details?.current).toEqual([
      { id, reason: "not_allowed", current: { status: from, version: before.version, openFlagCount: 0 } },
    ] satisfies StaleItem[]);
    expect(await row(id)).toEqual(before);
    expect(await logFor(db, id)).toEqual(logsBefore);
  });
});

describe("stale decisions answer 409 and change nothing", () => {
  it("refuses a decision made on an older version, with the current state", async () => {
    const c = await data.post(author, post);
    await updateContribution(author, c.id, { version: 1, body: "Edited while the moderator was looking" });
    const before = await row(c.id);

    const err = await appError("stale", () => decide(mod, "HIDE", [{ id: c.id, version: 1 }], "Off topic"));

    expect(err.message).toMatch(/changed since you loaded it/);
    expect(err.details?.current).toEqual([{ id: c.id, reason: "changed", current: { status: "PUBLISHED", version: 2, openFlagCount: 0 } }]);
    expect(await row(c.id)).toEqual(before);
    expect(await logFor(db, c.id)).toEqual([]);
  });

  it("applies NONE of a bulk decision when one of N items is stale, and says which", async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await data.post(author, post)).id);
    const seen = await Promise.all(ids.map(item));
    // After the moderator loaded the queue, the author edits the fourth one.
    await updateContribution(author, ids[3]!, { version: 1, body: "Changed behind the moderator's back" });
    const before = await Promise.all(ids.map(row));

    const err = await appError("stale", () => decide(mod, "HIDE", seen, "Spam wave"));

    expect(err.message).toBe("1 of 5 contributions changed since you loaded them. Nothing was applied; reload and decide again.");
    expect(err.details?.current).toEqual([{ id: ids[3], reason: "changed", current: { status: "PUBLISHED", version: 2, openFlagCount: 0 } }]);
    expect(await Promise.all(ids.map(row))).toEqual(before);
    for (const id of ids) expect(await logFor(db, id)).toEqual([]);
  });

  it("applies NONE of a bulk decision when one item may not take it (not_allowed), nor when one is gone (missing)", async () => {
    const a = await data.post(author, post);
    const b = await data.post(author, post);
    const hidden = await inStatus("HIDDEN");
    const deleted = await data.post(author, post);
    await db.contribution.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    const before = await Promise.all([a.id, b.id, hidden].map(row));
    const hiddenLogs = await logFor(db, hidden);

    const seen = [await item(a.id), await item(hidden), await item(b.id)];
    const err = await appError("stale", () => decide(mod, "HIDE", seen, "Rude"));
    expect(err.details?.current).toEqual([{ id: hidden, reason: "not_allowed", current: { status: "HIDDEN", version: 2, openFlagCount: 0 } }]);

    const unknown = randomUUID();
    const seen2 = [await item(a.id), { id: deleted.id, version: 1 }, { id: unknown, version: 1 }];
    const err2 = await appError("stale", () => decide(mod, "HIDE", seen2, "Rude"));
    expect(err2.details?.current).toEqual([
      { id: deleted.id, reason: "missing" },
      { id: unknown, reason: "missing" },
    ]);
    expect(err2.message).toMatch(/^2 of 3 contributions changed/);

    expect(await Promise.all([a.id, b.id, hidden].map(row))).toEqual(before);
    expect(await logFor(db, a.id)).toEqual([]);
    expect(await logFor(db, hidden)).toEqual(hiddenLogs);
  });

  it("answers not_found for a single unknown or deleted contribution", async () => {
    await appError("not_found", () => decide(mod, "KEEP", [{ id: randomUUID(), version: 1 }], null));
    const c = await data.post(author, post);
    await db.contribution.update({ where: { id: c.id }, data: { deletedAt: new Date() } });
    await appError("not_found", () => decide(mod, "HIDE", [{ id: c.id, version: 1 }], "Gone"));
  });

  it("applies a fresh bulk decision to every item, one audit row each, in one transaction", async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await data.post(author, post, { p: 1 })).id);
    const results = await decide(mod, "REJECT", await Promise.all(ids.map(item)), "Duplicate of an earlier note");
    expect(results.map((r) => [r.id, r.fromStatus, r.toStatus, r.version])).toEqual(ids.map((id) => [id, "PUBLISHED", "REJECTED", 2]));
    const logs = await db.moderationLog.findMany({ where: { contributionId: { in: ids } } });
    expect(logs).toHaveLength(4);
    for (const l of logs) expect(l).toMatchObject({ action: "REJECT", actorId: mod.id, reason: "Duplicate of an earlier note" });
  });

  it("refuses the same contribution twice in one request (validation)", async () => {
    const c = await data.post(author, post);
    await appError("validation", () => decide(mod, "KEEP", [{ id: c.id, version: 1 }, { id: c.id, version: 1 }], null));
    expect((await row(c.id)).version).toBe(1);
  });
});

// PGlite has exactly one connection: two transactions cannot overlap there, so there is no race to test.
describe.runIf(onServer)("concurrent decisions on a PostgreSQL server", () => {
  it("two moderators deciding the same item at once: exactly one wins, the other gets 409", async () => {
    const c = await data.post(author, post);
    const results = await Promise.allSettled([
      decide(mod, "HIDE", [{ id: c.id, version: 1 }], "Hidden by the first moderator"),
      decide(mod2, "KEEP", [{ id: c.id, version: 1 }], null),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: "stale" });
    const after = await row(c.id);
    expect(after.version).toBe(2);
    const logs = await decisionsFor(db, c.id);
    expect(logs).toHaveLength(1);
    expect(after.status).toBe(logs[0]!.action === "HIDE" ? "HIDDEN" : "PUBLISHED");
  });

  it("two overlapping bulk decisions at once: one applies entirely, the other not at all", async () => {
    const [x, y, z] = [await data.post(author, post), await data.post(author, post), await data.post(author, post)];
    const results = await Promise.allSettled([
      decide(mod, "HIDE", [{ id: x.id, version: 1 }, { id: y.id, version: 1 }], "First batch"),
      decide(mod2, "REJECT", [{ id: z.id, version: 1 }, { id: y.id, version: 1 }], "Second batch"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const firstWon = results[0]!.status === "fulfilled";
    const statuses = (await Promise.all([x.id, y.id, z.id].map(row))).map((r) => r.status);
    expect(statuses).toEqual(firstWon ? ["HIDDEN", "HIDDEN", "PUBLISHED"] : ["PUBLISHED", "REJECTED", "REJECTED"]);
    expect(await db.moderationLog.count({ where: { contributionId: { in: [x.id, y.id, z.id] } } })).toBe(2);
  });
});

describe("who may decide, and what must come with a decision", () => {
  it.each(["HIDE", "REJECT"] as const)("refuses %s without a reason (validation), and changes nothing", async (decision) => {
    const c = await data.post(author, post);
    for (const reason of [null, "", "   \n\t"]) {
      const err = await appError("validation", () => decide(mod, decision, [{ id: c.id, version: 1 }], reason));
      expect(STATUS[err.code]).toBe(422);
      expect(err.details?.fields).toEqual([{ field: "reason", message: "is required for this decision" }]);
    }
    expect(await row(c.id)).toMatchObject({ status: "PUBLISHED", version: 1 });
    expect(await logFor(db, c.id)).toEqual([]);
  });

  it.each(["PUBLISH", "RESTORE", "KEEP"] as const)("does not need a reason for %s", async (decision) => {
    const from = (Object.keys(EXPECTED_TRANSITIONS) as ContributionStatus[]).find((s) => EXPECTED_TRANSITIONS[s][decision])!;
    const id = await inStatus(from);
    await decide(mod, decision, [await item(id)], null);
    expect((await logFor(db, id)).at(-1)).toMatchObject({ action: decision, reason: null });
  });

  it("forbids readers and researchers, whatever the decision, and changes nothing", async () => {
    const c = await data.post(author, post);
    const researcher: CurrentUser = { ...readers[0]!, role: "RESEARCHER" };
    for (const user of [readers[0]!, researcher, author]) {
      for (const decision of DECISIONS) {
        const err = await appError("forbidden", () => decide(user, decision as Decision, [{ id: c.id, version: 1 }], "Because"));
        expect(STATUS[err.code]).toBe(403);
      }
    }
    expect(await row(c.id)).toMatchObject({ status: "PUBLISHED", version: 1 });
    expect(await logFor(db, c.id)).toEqual([]);
  });

  it("lets an admin decide like a moderator", async () => {
    const c = await data.post(author, post);
    await decide(admin, "HIDE", [{ id: c.id, version: 1 }], "Admin says no");
    expect((await logFor(db, c.id))[0]).toMatchObject({ action: "HIDE", actorId: admin.id });
  });
});

describe("KEEP ('reviewed, keep')", () => {
  it("closes the open flags, keeps it published and visible, and takes it out of the queue", async () => {
    const c = await data.post(author, post);
    await flagContribution(readers[0]!, c.id, { reason: "SPAM" });
    await flagContribution(readers[1]!, c.id, { reason: "OFF_TOPIC", note: "Not about this paragraph" });
    const flagged = await row(c.id);
    expect(flagged).toMatchObject({ status: "PUBLISHED", openFlagCount: 2, version: 1 });
    expect(flagged.queuedAt).toBeInstanceOf(Date);

    const [r] = await decide(mod, "KEEP", [{ id: c.id, version: flagged.version }], "Fine as it is");

    expect(r).toMatchObject({ fromStatus: "PUBLISHED", toStatus: "PUBLISHED", version: 2 });
    expect(await row(c.id)).toMatchObject({ status: "PUBLISHED", queuedAt: null, openFlagCount: 0, moderationReason: null });
    const flags = await db.flag.findMany({ where: { contributionId: c.id } });
    expect(flags).toHaveLength(2);
    for (const f of flags) {
      expect(f).toMatchObject({ status: "RESOLVED", resolvedById: mod.id });
      expect(f.resolvedAt).toBeInstanceOf(Date);
    }
    expect(await decisionsFor(db, c.id)).toEqual([
      expect.objectContaining({ action: "KEEP", actorId: mod.id, fromStatus: "PUBLISHED", toStatus: "PUBLISHED", reason: "Fine as it is" }),
    ]);
    const visible = await listParagraphContributions(post.slug, post.paragraphs[0]!.anchorId, { limit: 100, viewerId: readers[0]!.id });
    expect(visible.items.map((i) => i.id)).toContain(c.id);
  });

  it("shows the author the reason for a hide, and nobody else", async () => {
    const c = await data.post(author, post, { p: 1 });
    await decide(mod, "HIDE", [{ id: c.id, version: 1 }], "Personal attack in the second sentence");
    const anchor = post.paragraphs[1]!.anchorId;
    const own = await listParagraphContributions(post.slug, anchor, { limit: 100, viewerId: author.id });
    expect(own.items.find((i) => i.id === c.id)).toMatchObject({
      status: "HIDDEN",
      mine: true,
      moderationReason: "Personal attack in the second sentence",
    });
    const others = await listParagraphContributions(post.slug, anchor, { limit: 100, viewerId: readers[1]!.id });
    expect(others.items.map((i) => i.id)).not.toContain(c.id);
  });
});
