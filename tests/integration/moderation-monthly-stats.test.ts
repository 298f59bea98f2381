import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { monthlyStats } from "@/lib/moderation/monthly-stats";
import { undoDecision } from "@/lib/moderation/undo-decision";
import { changeRole } from "@/lib/users/change-role";
import type { LoadedArticle } from "./support/fixtures";
import { moderationData, usePrivateDatabase, type TestUser } from "./support/moderation";

/**
 * Public moderation statistics per UTC month: contributions, flags and decisions, counts only.
 * Monthly totals cover the whole database, so this file runs on a database of its own
 * (usePrivateDatabase) where every row is known, and the numbers can be exact.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let privateDb: Awaited<ReturnType<typeof usePrivateDatabase>>;
let article: LoadedArticle;
let author: TestUser;
let readers: TestUser[];
let mod: TestUser;
let admin: TestUser;

/** The first instant of the UTC month `back` months before the current one. */
function monthStart(back: number): Date {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d;
}
const key = (back: number) => monthStart(back).toISOString().slice(0, 7);

beforeAll(async () => {
  privateDb = await usePrivateDatabase();
  db = await getDb();
  data = moderationData(db);
  article = await data.article(1);
  author = await data.user({ name: "Stats Author Zebulon" });
  readers = [await data.user({ name: "Stats Reader Quentin" }), await data.user(), await data.user()];
  mod = await data.user({ role: "MODERATOR", name: "Stats Moderator Ottoline" });
  admin = await data.user({ role: "ADMIN" });

  // This month: 4 contributions, 4 flags (3 on one, which hides it), decisions HIDE, KEEP, AUTO_HIDE.
  const c = [];
  for (let i = 0; i < 4; i++) c.push(await data.post(author, article));
  await decide(mod, "HIDE", [{ id: c[0]!.id, version: 1 }], "Rude");
  await flagContribution(readers[0]!, c[1]!.id, { reason: "SPAM" });
  await decide(mod, "KEEP", [{ id: c[1]!.id, version: 1 }], null);
  for (const r of readers) await flagContribution(r, c[2]!.id, { reason: "SPAM" });
  // A rejection taken back at once (undo): neither it nor the undo is a decision that stands.
  const [taken] = await decide(mod, "REJECT", [{ id: c[3]!.id, version: 1 }], "By mistake");
  await undoDecision(mod, taken!.batch);
  // Not about a contribution: not a moderation decision in these statistics.
  await changeRole(admin, readers[1]!.id, "MODERATOR");

  // Two months ago: 2 contributions and 1 flag moved back in time, 2 decisions logged then.
  const old1 = await data.post(author, article);
  const old2 = await data.post(author, article);
  const twoBack = new Date(monthStart(2).getTime() + 3 * 24 * 3600_000);
  await db.contribution.updateMany({ where: { id: { in: [old1.id, old2.id] } }, data: { createdAt: twoBack } });
  const { flagId } = await flagContribution(readers[0]!, old1.id, { reason: "OFF_TOPIC" });
  await db.flag.update({ where: { id: flagId }, data: { createdAt: twoBack } });
  // The audit log is append-only: rows from the past can only be inserted, with their time.
  await db.moderationLog.createMany({
    data: [
      { createdAt: twoBack, actorId: mod.id, action: "REJECT", contributionId: old2.id, targetUserId: author.id, fromStatus: "PUBLISHED", toStatus: "REJECTED", reason: "Old" },
      { createdAt: twoBack, actorId: mod.id, action: "REJECT", contributionId: old1.id, targetUserId: author.id, fromStatus: "PUBLISHED", toStatus: "REJECTED", reason: "Old" },
    ],
  });

  // Four months ago: an appeal upheld (RESTORE then APPEAL_UPHELD, one transaction), one denied by
  // a rejection (REJECT then APPEAL_DENIED), and a plain restore with no appeal.
  const fourBack = monthStart(4).getTime() + 5 * 24 * 3600_000;
  const at = (ms: number) => new Date(fourBack + ms);
  const entry = (ms: number, action: "RESTORE" | "APPEAL_UPHELD" | "REJECT" | "APPEAL_DENIED", id: string) => ({
    createdAt: at(ms),
    actorId: mod.id,
    action,
    contributionId: id,
    targetUserId: author.id,
  });
  await db.moderationLog.createMany({
    data: [
      entry(0, "RESTORE", old1.id),
      entry(1, "APPEAL_UPHELD", old1.id),
      entry(60_000, "REJECT", old2.id),
      entry(60_001, "APPEAL_DENIED", old2.id),
      entry(3_600_000, "RESTORE", old2.id),
    ],
  });

  // Month boundaries: the last millisecond of three months ago, the first of two months ago.
  const edgeOld = await data.post(author, article);
  const edgeNew = await data.post(author, article);
  await db.contribution.update({ where: { id: edgeOld.id }, data: { createdAt: new Date(monthStart(2).getTime() - 1) } });
  await db.contribution.update({ where: { id: edgeNew.id }, data: { createdAt: monthStart(2) } });

  // Older than the twelve months shown: not counted anywhere.
  const ancient = await data.post(author, article);
  await db.contribution.update({ where: { id: ancient.id }, data: { createdAt: new Date(monthStart(14).getTime() + 1000) } });
});

afterAll(async () => {
  await data?.cleanup();
  await privateDb?.close();
});

describe("monthlyStats", () => {
  it("lists the last twelve UTC months, newest first, every month present", async () => {
    const stats = await monthlyStats();
    expect(stats.map((s) => s.month)).toEqual(Array.from({ length: 12 }, (_, i) => key(i)));
    for (const s of stats) expect(s.month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
    expect((await monthlyStats(3)).map((s) => s.month)).toEqual([key(0), key(1), key(2)]);
  });

  it("counts contributions, flags and decisions per month", async () => {
    const stats = await monthlyStats();
    const month = (back: number) => stats.find((s) => s.month === key(back))!;

    expect(month(0)).toEqual({ month: key(0), contributions: 4, flags: 4, decisions: { HIDE: 1, KEEP: 1, AUTO_HIDE: 1 } });
    expect(month(1)).toEqual({ month: key(1), contributions: 0, flags: 0, decisions: {} });
    expect(month(2)).toEqual({ month: key(2), contributions: 3, flags: 1, decisions: { REJECT: 2 } });
    expect(month(3)).toEqual({ month: key(3), contributions: 1, flags: 0, decisions: {} });
    // An appeal decision counts once, under the appeal's column; a restore without an appeal is a restore.
    expect(month(4)).toEqual({ month: key(4), contributions: 0, flags: 0, decisions: { APPEAL_UPHELD: 1, APPEAL_DENIED: 1, RESTORE: 1 } });
    const total = stats.reduce((n, s) => n + s.contributions, 0);
    expect(total).toBe(8); // the one from fourteen months ago is outside the window
  });

  it("contains counts only: no names, emails or ids", async () => {
    const text = JSON.stringify(await monthlyStats());
    const people = await db.user.findMany({ select: { id: true, name: true, email: true } });
    expect(people.length).toBeGreaterThan(0);
    for (const p of people) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.email);
      expect(text).not.toContain(p.id);
    }
    expect(text).not.toMatch(/@/);
    for (const s of await monthlyStats()) {
      expect(Object.keys(s).sort()).toEqual(["contributions", "decisions", "flags", "month"]);
      for (const n of Object.values(s.decisions)) expect(typeof n).toBe("number");
    }
  });
});
