import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { STATUS } from "@/lib/http/errors";
import { changeRole } from "@/lib/users/change-role";
import { searchUsers } from "@/lib/users/search-users";
import { suspendUser } from "@/lib/users/suspend-user";
import { appError, moderationData, onServer, usePrivateDatabase, type TestUser } from "./support/moderation";

/**
 * Roles and the last-admin guard (changeRole, suspendUser; PATCH /api/admin/users/:id and
 * POST .../suspension). "The last active admin" is a fact about the whole database, so this
 * file runs on a database of its own (usePrivateDatabase) and starts every test with no
 * admin at all; each test creates exactly the admins it talks about.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let privateDb: Awaited<ReturnType<typeof usePrivateDatabase>>;

beforeAll(async () => {
  privateDb = await usePrivateDatabase();
  db = await getDb();
  data = moderationData(db);
});

beforeEach(async () => {
  // Only in this file's own database: no admin left over from the previous test.
  await db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "READER" } });
});

afterAll(async () => {
  await data?.cleanup();
  await privateDb?.close();
});

const roleOf = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).role;
const activeAdmins = () => db.user.count({ where: { role: "ADMIN", status: "ACTIVE" } });
const roleLogs = (targetUserId: string) => db.moderationLog.findMany({ where: { targetUserId, action: "ROLE_CHANGE" } });

describe("the last active admin", () => {
  it("cannot be demoted (409 conflict), and nothing changes", async () => {
    const only = await data.user({ role: "ADMIN" });
    expect(await activeAdmins()).toBe(1);
    for (const role of ["READER", "MODERATOR", "RESEARCHER"] as const) {
      const err = await appError("conflict", () => changeRole(only, only.id, role));
      expect(STATUS[err.code]).toBe(409);
      expect(err.message).toMatch(/last active admin/);
    }
    expect(await roleOf(only.id)).toBe("ADMIN");
    expect(await roleLogs(only.id)).toEqual([]);
  });

  it("cannot be suspended (409 conflict), and nothing changes", async () => {
    const only = await data.user({ role: "ADMIN" });
    // Through the product an admin can only suspend someone else, and then two admins exist; so
    // the guard is reached by an admin whose own account was suspended since they loaded the page.
    const stale = await data.user({ role: "ADMIN", status: "SUSPENDED" });
    expect(await activeAdmins()).toBe(1);
    await appError("conflict", () => suspendUser(stale, only.id, { reason: "Coup", hideContributions: false }));
    // And the admin cannot suspend themselves either.
    await appError("conflict", () => suspendUser(only, only.id, { reason: "Oops", hideContributions: false }));
    expect(await db.user.findUniqueOrThrow({ where: { id: only.id } })).toMatchObject({ role: "ADMIN", status: "ACTIVE", suspensionReason: null });
    expect(await db.moderationLog.count({ where: { targetUserId: only.id } })).toBe(0);
  });

  it("does not count a suspended admin as a remaining admin", async () => {
    const active = await data.user({ role: "ADMIN" });
    await data.user({ role: "ADMIN", status: "SUSPENDED" });
    await appError("conflict", () => changeRole(active, active.id, "READER"));
    expect(await roleOf(active.id)).toBe("ADMIN");
  });

  it("with two admins, one may be demoted (logged); then the other is the last one", async () => {
    const a = await data.user({ role: "ADMIN", name: "Admin A" });
    const b = await data.user({ role: "ADMIN", name: "Admin B" });
    expect(await changeRole(a, b.id, "MODERATOR")).toEqual({ id: b.id, role: "MODERATOR" });
    expect(await roleOf(b.id)).toBe("MODERATOR");
    const logs = await roleLogs(b.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ actorId: a.id, targetUserId: b.id, action: "ROLE_CHANGE", details: { from: "ADMIN", to: "MODERATOR" } });
    expect(Date.now() - logs[0]!.createdAt.getTime()).toBeLessThan(60_000);

    await appError("conflict", () => changeRole(a, a.id, "READER"));
    expect(await roleOf(a.id)).toBe("ADMIN");
  });

  it("with two admins, one may suspend the other; then the remaining one is the last", async () => {
    const a = await data.user({ role: "ADMIN" });
    const b = await data.user({ role: "ADMIN" });
    await suspendUser(a, b.id, { reason: "Compromised account", hideContributions: false });
    expect(await activeAdmins()).toBe(1);
    await appError("conflict", () => changeRole(a, a.id, "READER"));
  });
});

describe("changeRole", () => {
  it("is for admins only: moderators and readers are forbidden", async () => {
    const target = await data.user();
    for (const role of ["MODERATOR", "READER", "RESEARCHER"] as const) {
      const actor = await data.user({ role });
      const err = await appError("forbidden", () => changeRole(actor, target.id, "ADMIN"));
      expect(STATUS[err.code]).toBe(403);
    }
    expect(await roleOf(target.id)).toBe("READER");
    expect(await roleLogs(target.id)).toEqual([]);
  });

  it("promotes a reader and logs who did it, from what to what", async () => {
    const admin = await data.user({ role: "ADMIN" });
    const target = await data.user();
    await changeRole(admin, target.id, "MODERATOR");
    await changeRole(admin, target.id, "ADMIN");
    expect(await roleOf(target.id)).toBe("ADMIN");
    expect((await roleLogs(target.id)).map((l) => l.details).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      { from: "MODERATOR", to: "ADMIN" },
      { from: "READER", to: "MODERATOR" },
    ]);
  });

  it("does nothing (and logs nothing) when the role is already that one", async () => {
    const admin = await data.user({ role: "ADMIN" });
    const target = await data.user({ role: "MODERATOR" });
    expect(await changeRole(admin, target.id, "MODERATOR")).toEqual({ id: target.id, role: "MODERATOR" });
    expect(await roleLogs(target.id)).toEqual([]);
  });

  it("answers not_found for an unknown user", async () => {
    const admin = await data.user({ role: "ADMIN" });
    await appError("not_found", () => changeRole(admin, randomUUID(), "MODERATOR"));
  });
});

describe("searchUsers", () => {
  it("is for admins only, and finds people by part of their email or name, any case", async () => {
    const admin = await data.user({ role: "ADMIN" });
    const target = await data.user({ name: "Searchable Philippa" });
    await appError("forbidden", () => searchUsers({ ...target, role: "MODERATOR" } satisfies CurrentUser, "x"));

    const byName = await searchUsers(admin, "searchable phil");
    expect(byName.map((u) => u.id)).toEqual([target.id]);
    expect(byName[0]).toMatchObject({ email: target.email, role: "READER", status: "ACTIVE", contributions: 0 });
    const local = target.email.split("@")[0]!.toUpperCase();
    expect((await searchUsers(admin, local)).map((u) => u.id)).toEqual([target.id]);
    expect(JSON.stringify(byName)).not.toMatch(/passwordHash|not-a-real-hash/);
  });

  it("takes % and _ literally, not as wildcards", async () => {
    const admin = await data.user({ role: "ADMIN" });
    const tag = randomUUID().slice(0, 8);
    const underscore = await data.user({ name: `Wild_${tag}` });
    const percent = await data.user({ name: `Wild%${tag}` });
    await data.user({ name: `WildX${tag}` });
    const ids = async (q: string) => (await searchUsers(admin, q)).map((u) => u.id);
    expect(await ids(`wild_${tag}`)).toEqual([underscore.id]);
    expect(await ids(`wild%${tag}`)).toEqual([percent.id]);
    expect(await ids(`%${tag}`)).toEqual([percent.id]);
    expect(await ids("%")).toEqual([percent.id]);
    expect(await ids(`wild\\${tag}`)).toEqual([]);
  });
});

// PGlite has exactly one connection: two transactions cannot overlap there, so there is no race to test.
describe.runIf(onServer)("concurrent changes on a PostgreSQL server (advisory lock)", () => {
  // A few rounds each: without the lock these races are lost most of the time, not every time.
  const ROUNDS = 3;

  it("two admins demoting each other at once: exactly one succeeds, one admin remains", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "READER" } });
      const a = await data.user({ role: "ADMIN" });
      const b = await data.user({ role: "ADMIN" });
      const results = await Promise.allSettled([changeRole(a, b.id, "READER"), changeRole(b, a.id, "READER")]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(results.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason).toMatchObject({ code: "conflict" });
      expect(await activeAdmins()).toBe(1);
      expect(await db.moderationLog.count({ where: { action: "ROLE_CHANGE", targetUserId: { in: [a.id, b.id] } } })).toBe(1);
    }
  });

  it("two admins suspending each other at once: exactly one succeeds", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "READER" } });
      const a = await data.user({ role: "ADMIN" });
      const b = await data.user({ role: "ADMIN" });
      const results = await Promise.allSettled([
        suspendUser(a, b.id, { reason: "You first", hideContributions: false }),
        suspendUser(b, a.id, { reason: "No, you", hideContributions: false }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(await activeAdmins()).toBe(1);
    }
  });

  it("a demotion and a suspension of the only two admins at once: one admin remains", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "READER" } });
      const a = await data.user({ role: "ADMIN" });
      const b = await data.user({ role: "ADMIN" });
      const results = await Promise.allSettled([changeRole(a, b.id, "READER"), suspendUser(b, a.id, { reason: "Race", hideContributions: false })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await activeAdmins()).toBe(1);
    }
  });
});
