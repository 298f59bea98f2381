import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { authOptions, sessionSecret, SUSPENDED_ERROR } from "@/lib/auth/options";
import { hashPassword } from "@/lib/auth/password";
import { encode } from "next-auth/jwt";
import { getCurrentUser, requireUser } from "@/lib/auth/session";
import { isSuspendedNow } from "@/lib/auth/suspension";
import { getDb, type Db } from "@/lib/db/client";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-ip";
import { STATUS } from "@/lib/http/errors";
import { liftSuspension, suspendUser } from "@/lib/users/suspend-user";
import type { LoadedArticle } from "./support/fixtures";
import { appError, logFor, moderationData, type TestUser } from "./support/moderation";

/**
 * Suspensions (suspendUser / liftSuspension, POST|DELETE /api/admin/users/:id/suspension) and
 * what they do to a live session. getCurrentUser() reads next-auth's session cookie; here the
 * request's cookies are stubbed (vi.mock of next/headers) and carry a real session token, encoded
 * with next-auth's own encode() and the app's secret, as sign-in issues it; everything after it is
 * the real code: the token decoded, the user re-read from the database and isSuspendedNow()
 * deciding, on every request.
 */

const session = vi.hoisted(() => ({ token: null as string | null }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ getAll: () => (session.token ? [{ name: "next-auth.session-token", value: session.token }] : []) }),
}));

let db: Db;
let data: ReturnType<typeof moderationData>;
let article: LoadedArticle;
let admin: TestUser;
let reader: TestUser;

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  article = await data.article(1);
  admin = await data.user({ role: "ADMIN", name: "Suspending Admin" });
  // A second admin, so that suspending an admin below is not the last-admin case.
  await data.user({ role: "ADMIN" });
  reader = await data.user();
});

beforeEach(() => {
  session.token = null;
});

afterAll(async () => {
  await data?.cleanup();
});

const userRow = (id: string) => db.user.findUniqueOrThrow({ where: { id }, select: { id: true, status: true, suspendedUntil: true, suspensionReason: true } });
/** What the next request by `user` would get from getCurrentUser(). */
const nextRequestAs = async (user: { id: string }) => {
  session.token = await encode({ token: { uid: user.id, authAt: Date.now() }, secret: sessionSecret() });
  return getCurrentUser();
};
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

describe("a suspension ends a live session", () => {
  it("the next request after the suspension is signed out (401), with the reason stored", async () => {
    const user = await data.user({ name: "Soon Suspended" });
    expect(await nextRequestAs(user)).toEqual({ id: user.id, name: "Soon Suspended", role: "READER", createdAt: user.createdAt, emailVerified: false });

    await suspendUser(admin, user.id, { reason: "Repeated harassment", hideContributions: false });

    expect(await nextRequestAs(user)).toBeNull();
    const err = await appError("unauthenticated", () => requireUser());
    expect(STATUS[err.code]).toBe(401);
    expect(await userRow(user.id)).toMatchObject({ status: "SUSPENDED", suspendedUntil: null, suspensionReason: "Repeated harassment" });
    expect(await isSuspendedNow((await userRow(user.id))!)).toBe(true);
  });

  it("applies to moderators and admins too", async () => {
    const moderator = await data.user({ role: "MODERATOR" });
    const otherAdmin = await data.user({ role: "ADMIN" });
    for (const u of [moderator, otherAdmin]) {
      expect(await nextRequestAs(u)).not.toBeNull();
      await suspendUser(admin, u.id, { reason: "Abuse of powers", hideContributions: false });
      expect(await nextRequestAs(u)).toBeNull();
    }
  });

  it("a suspension until a later time holds until then; once that time has passed, the next check lifts it", async () => {
    const user = await data.user();
    const until = inAMinute();
    await suspendUser(admin, user.id, { reason: "Cool down", until, hideContributions: false });
    expect(await userRow(user.id)).toMatchObject({ status: "SUSPENDED", suspendedUntil: new Date(until) });
    expect(await nextRequestAs(user)).toBeNull();
    expect((await userRow(user.id)).status).toBe("SUSPENDED");

    // Time passes: the end date is now in the past.
    await db.user.update({ where: { id: user.id }, data: { suspendedUntil: new Date(Date.now() - 1000) } });

    expect(await nextRequestAs(user)).toMatchObject({ id: user.id });
    expect(await userRow(user.id)).toEqual({ id: user.id, status: "ACTIVE", suspendedUntil: null, suspensionReason: null });
  });

  it("isSuspendedNow: active -> no; suspended indefinitely or until later -> yes; until a past time -> no, and lifted", async () => {
    const active = await data.user();
    expect(await isSuspendedNow({ id: active.id, status: "ACTIVE", suspendedUntil: null })).toBe(false);

    const forever = await data.user({ status: "SUSPENDED" });
    expect(await isSuspendedNow({ id: forever.id, status: "SUSPENDED", suspendedUntil: null })).toBe(true);
    expect((await userRow(forever.id)).status).toBe("SUSPENDED");

    const later = new Date(Date.now() + 3_600_000);
    const timed = await data.user({ status: "SUSPENDED", suspendedUntil: later });
    expect(await isSuspendedNow({ id: timed.id, status: "SUSPENDED", suspendedUntil: later })).toBe(true);
    expect((await userRow(timed.id)).status).toBe("SUSPENDED");

    const past = new Date(Date.now() - 1);
    const expired = await data.user({ status: "SUSPENDED", suspendedUntil: past });
    expect(await isSuspendedNow({ id: expired.id, status: "SUSPENDED", suspendedUntil: past })).toBe(false);
    expect(await userRow(expired.id)).toMatchObject({ status: "ACTIVE", suspendedUntil: null });
  });

  it("refuses the password sign-in of a suspended account, and allows it again once lifted", async () => {
    const email = `suspended-${randomUUID()}@test.invalid`;
    const u = await db.user.create({
      data: { email, name: "Password Person", passwordHash: await hashPassword("correct horse battery"), status: "SUSPENDED" },
      select: { id: true },
    });
    data.userIds.push(u.id);
    const provider = authOptions().providers[0] as unknown as {
      options: { authorize: (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
    };
    const signIn = () =>
      provider.options.authorize({ email, password: "correct horse battery" }, { headers: { [PEER_ADDRESS_HEADER]: `198.51.100.${Math.floor(Math.random() * 250)}` } });

    await expect(signIn()).rejects.toThrow(SUSPENDED_ERROR);
    await liftSuspension(admin, u.id);
    await expect(signIn()).resolves.toMatchObject({ id: u.id, email });
  });
});

describe("the session token itself", () => {
  it("is signed out with a forged or foreign token, one without a user id, or one from before the last password reset", async () => {
    const user = await data.user({ name: "Token Holder" });
    expect(await nextRequestAs(user)).toMatchObject({ id: user.id });
    // Not a token this app issued: signed with another secret, or not a token at all.
    session.token = await encode({ token: { uid: user.id, authAt: Date.now() }, secret: "another-secret-another-secret-another-secret" });
    expect(await getCurrentUser()).toBeNull();
    session.token = "stub";
    expect(await getCurrentUser()).toBeNull();
    // A valid token without the user id sign-in writes.
    session.token = await encode({ token: { sub: user.id }, secret: sessionSecret() });
    expect(await getCurrentUser()).toBeNull();
    // Expired.
    session.token = await encode({ token: { uid: user.id, authAt: Date.now() }, secret: sessionSecret(), maxAge: -60 });
    expect(await getCurrentUser()).toBeNull();
    // Signed in before the password was reset.
    const authAt = Date.now() - 60_000;
    session.token = await encode({ token: { uid: user.id, authAt }, secret: sessionSecret() });
    expect(await getCurrentUser()).toMatchObject({ id: user.id });
    await db.user.update({ where: { id: user.id }, data: { passwordChangedAt: new Date(authAt + 1_000) } });
    expect(await getCurrentUser()).toBeNull();
    // A new sign-in after the reset works.
    expect(await nextRequestAs(user)).toMatchObject({ id: user.id });
  });
});

describe("suspendUser", () => {
  it("with hideContributions, hides every published contribution of theirs, one HIDE row each", async () => {
    const user = await data.user({ name: "Prolific Spammer" });
    const published = [];
    for (let i = 0; i < 3; i++) published.push(await data.post(user, article));
    const alreadyHidden = await data.post(user, article);
    await db.contribution.update({ where: { id: alreadyHidden.id }, data: { status: "HIDDEN" } });
    const pending = await data.post(user, article);
    await db.contribution.update({ where: { id: pending.id }, data: { status: "PENDING" } });
    const deleted = await data.post(user, article);
    await db.contribution.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    const bystander = await data.post(reader, article);

    const result = await suspendUser(admin, user.id, { reason: "Spam account", until: inAMinute(), hideContributions: true });

    expect(result).toEqual({ hidden: 3 });
    for (const c of published) {
      expect(await db.contribution.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
        status: "HIDDEN",
        version: 2,
        moderationReason: "The author's account was suspended.",
      });
      expect(await logFor(db, c.id)).toEqual([
        expect.objectContaining({
          action: "HIDE",
          actorId: admin.id,
          targetUserId: user.id,
          fromStatus: "PUBLISHED",
          toStatus: "HIDDEN",
          reason: "The author's account was suspended.",
        }),
      ]);
    }
    for (const c of [alreadyHidden, pending, deleted, bystander]) expect(await logFor(db, c.id)).toEqual([]);
    expect((await db.contribution.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("PENDING");
    expect((await db.contribution.findUniqueOrThrow({ where: { id: bystander.id } })).status).toBe("PUBLISHED");

    const suspend = await db.moderationLog.findMany({ where: { targetUserId: user.id, action: "SUSPEND" } });
    expect(suspend).toHaveLength(1);
    expect(suspend[0]).toMatchObject({ actorId: admin.id, reason: "Spam account", contributionId: null, details: { hideContributions: true } });

    const visible = await listParagraphContributions(article.slug, article.paragraphs[0]!.anchorId, { limit: 100, viewerId: reader.id });
    const ids = visible.items.map((i) => i.id);
    for (const c of published) expect(ids).not.toContain(c.id);
    expect(ids).toContain(bystander.id);
  });

  it("without hideContributions, leaves their contributions alone", async () => {
    const user = await data.user();
    const c = await data.post(user, article);
    expect(await suspendUser(admin, user.id, { reason: "Cool down", hideContributions: false })).toEqual({ hidden: 0 });
    expect((await db.contribution.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("PUBLISHED");
    expect(await logFor(db, c.id)).toEqual([]);
  });

  it("is for admins only; refuses yourself (conflict) and unknown people (not_found)", async () => {
    const user = await data.user();
    const moderator = await data.user({ role: "MODERATOR" });
    for (const actor of [moderator, reader]) {
      const err = await appError("forbidden", () => suspendUser(actor, user.id, { reason: "x", hideContributions: false }));
      expect(STATUS[err.code]).toBe(403);
    }
    await appError("conflict", () => suspendUser(admin, admin.id, { reason: "x", hideContributions: false }));
    await appError("not_found", () => suspendUser(admin, randomUUID(), { reason: "x", hideContributions: false }));
    expect((await userRow(user.id)).status).toBe("ACTIVE");
    expect(await db.moderationLog.count({ where: { targetUserId: { in: [user.id, admin.id] } } })).toBe(0);
  });
});

describe("liftSuspension", () => {
  it("restores ACTIVE, clears the end date and reason, logs UNSUSPEND; the next request is signed in", async () => {
    const user = await data.user();
    await suspendUser(admin, user.id, { reason: "Short break", until: inAMinute(), hideContributions: false });
    expect(await nextRequestAs(user)).toBeNull();

    await liftSuspension(admin, user.id);

    expect(await userRow(user.id)).toEqual({ id: user.id, status: "ACTIVE", suspendedUntil: null, suspensionReason: null });
    expect(await nextRequestAs(user)).toMatchObject({ id: user.id });
    const logs = await db.moderationLog.findMany({ where: { targetUserId: user.id }, orderBy: { createdAt: "asc" } });
    expect(logs.map((l) => l.action)).toEqual(["SUSPEND", "UNSUSPEND"]);
    expect(logs[1]).toMatchObject({ actorId: admin.id, contributionId: null });
  });

  it("answers conflict for an account that is not suspended, forbidden for non-admins, not_found for unknown", async () => {
    const user = await data.user();
    await appError("conflict", () => liftSuspension(admin, user.id));
    await suspendUser(admin, user.id, { reason: "x", hideContributions: false });
    await appError("forbidden", () => liftSuspension({ ...reader, role: "MODERATOR" }, user.id));
    await appError("not_found", () => liftSuspension(admin, randomUUID()));
    expect((await userRow(user.id)).status).toBe("SUSPENDED");
  });
});
