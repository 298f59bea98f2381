import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/db/client";
import { AppError, STATUS, type ErrorCode } from "@/lib/http/errors";
import { requireExportCaller } from "@/lib/research/access";
import { createTokenSchema } from "@/lib/research/schemas";
import { authenticateToken, createToken, listTokens, revokeToken } from "@/lib/research/tokens";
import { appError, type TestUser } from "./support/moderation";
import { researchData } from "./support/research";

/**
 * API tokens for the export API, through requireExportCaller (what every /api/v1/exports route
 * calls first) with a real Request and Authorization header. The HTTP status is the one
 * lib/http/errors.ts maps the error code to.
 */

let db: Db;
let data: ReturnType<typeof researchData>;
let researcher: TestUser;

beforeAll(async () => {
  db = await getDb();
  data = researchData(db);
  researcher = await data.user({ role: "RESEARCHER" });
});

afterAll(async () => {
  await data?.cleanup();
});

const URL_ = "http://localhost/api/v1/exports";
const bearer = (token: string) => new Request(URL_, { headers: { authorization: `Bearer ${token}` } });

async function newToken(user: TestUser, scope: "export" | "export:read" = "export", name = "script") {
  return createToken(user, createTokenSchema.parse({ name, scope }));
}

/** Expects requireExportCaller to fail with `code`, which must map to HTTP `status`. */
async function refused(req: Request, need: "read" | "create", code: ErrorCode, status: number): Promise<AppError> {
  const err = await appError(code, () => requireExportCaller(req, need));
  expect(STATUS[err.code]).toBe(status);
  return err;
}

describe("a valid token", () => {
  it("is shown once, stored only as a hash, and identifies its owner", async () => {
    const { token, record } = await newToken(researcher);
    expect(token).toMatch(/^adx_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ scope: "export", active: true, revokedAt: null, lastUsedAt: null, prefix: token.slice(0, 10) });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await listTokens(researcher)).map((t) => t.id)).toContain(record.id);
    // Default lifetime: 90 days.
    expect(new Date(record.expiresAt!).getTime() - Date.now()).toBeGreaterThan(89 * 86_400_000);

    for (const need of ["read", "create"] as const) {
      const caller = await requireExportCaller(bearer(token), need);
      expect(caller).toEqual({ user: expect.objectContaining({ id: researcher.id, role: "RESEARCHER" }), via: "api" });
    }
    const used = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(used.lastUsedAt).toBeInstanceOf(Date);
  });

  it("of scope export:read may read but not create (403)", async () => {
    const { token } = await newToken(researcher, "export:read");
    await expect(requireExportCaller(bearer(token), "read")).resolves.toMatchObject({ user: { id: researcher.id }, via: "api" });
    await refused(bearer(token), "create", "forbidden", 403);
  });

  it("accepts the scheme in any case and surrounding spaces", async () => {
    const { token } = await newToken(researcher);
    const req = new Request(URL_, { headers: { authorization: `bearer   ${token}  ` } });
    await expect(requireExportCaller(req, "create")).resolves.toMatchObject({ user: { id: researcher.id } });
  });
});

describe("a token that no longer works", () => {
  it("revoked: 401", async () => {
    const { token, record } = await newToken(researcher);
    await expect(requireExportCaller(bearer(token), "read")).resolves.toBeDefined();
    const revoked = await revokeToken(researcher, record.id);
    expect(revoked).toMatchObject({ active: false });
    expect(revoked.revokedAt).not.toBeNull();
    await refused(bearer(token), "read", "unauthenticated", 401);
    await refused(bearer(token), "create", "unauthenticated", 401);
    // Revoking twice is harmless and keeps the first time.
    expect((await revokeToken(researcher, record.id)).revokedAt).toBe(revoked.revokedAt);
  });

  it("expired: 401", async () => {
    const { token, record } = await newToken(researcher);
    await db.apiToken.update({ where: { id: record.id }, data: { expiresAt: new Date(Date.now() - 1000) }, select: { id: true } });
    await refused(bearer(token), "read", "unauthenticated", 401);
    expect((await listTokens(researcher)).find((t) => t.id === record.id)).toMatchObject({ active: false });
  });

  it("unknown, malformed or sent the wrong way: 401", async () => {
    const { token } = await newToken(researcher);
    await refused(bearer(`${token.slice(0, -2)}xx`), "read", "unauthenticated", 401);
    await refused(bearer("adx_not-a-token"), "read", "unauthenticated", 401);
    await refused(bearer("not-even-the-prefix"), "read", "unauthenticated", 401);
    await refused(bearer(`adx_${"a".repeat(300)}`), "read", "unauthenticated", 401);
    await refused(new Request(URL_, { headers: { authorization: `Basic ${token}` } }), "read", "unauthenticated", 401);
    await refused(new Request(URL_, { headers: { authorization: "Bearer" } }), "read", "unauthenticated", 401);
    await refused(new Request(URL_, { headers: { authorization: `Bearer ${token} extra` } }), "read", "unauthenticated", 401);
  });

  it("owned by someone demoted to READER: 403, for reading and creating", async () => {
    const demoted = await data.user({ role: "RESEARCHER" });
    const { token } = await newToken(demoted);
    await expect(requireExportCaller(bearer(token), "create")).resolves.toBeDefined();
    await db.user.update({ where: { id: demoted.id }, data: { role: "READER" }, select: { id: true } });
    await refused(bearer(token), "read", "forbidden", 403);
    await refused(bearer(token), "create", "forbidden", 403);
  });

  it("owned by a suspended account: 401", async () => {
    const suspended = await data.user({ role: "RESEARCHER" });
    const { token } = await newToken(suspended);
    await db.user.update({
      where: { id: suspended.id },
      data: { status: "SUSPENDED", suspendedUntil: new Date(Date.now() + 86_400_000), suspensionReason: "test" },
      select: { id: true },
    });
    await refused(bearer(token), "read", "unauthenticated", 401);
  });
});

describe("managing tokens", () => {
  it("is for researchers and admins; each revokes only their own (404 for anyone else's)", async () => {
    const reader = await data.user();
    const other = await data.user({ role: "RESEARCHER" });
    const admin = await data.user({ role: "ADMIN" });
    await appError("forbidden", () => newToken(reader));
    const { token, record } = await newToken(researcher);
    await appError("not_found", () => revokeToken(other, record.id));
    await appError("not_found", () => revokeToken(admin, record.id));
    await expect(requireExportCaller(bearer(token), "create")).resolves.toBeDefined();
    expect((await listTokens(other)).map((t) => t.id)).not.toContain(record.id);
    // An admin's own token works like a researcher's.
    const adminToken = await newToken(admin);
    await expect(authenticateToken(adminToken.token)).resolves.toMatchObject({ user: { id: admin.id, role: "ADMIN" }, scope: "export" });
  });

  it("validates name, scope and lifetime at the boundary", () => {
    expect(createTokenSchema.safeParse({ name: "x", scope: "admin" }).success).toBe(false);
    expect(createTokenSchema.safeParse({ name: "", scope: "export" }).success).toBe(false);
    expect(createTokenSchema.safeParse({ name: "x", expiresInDays: 0 }).success).toBe(false);
    expect(createTokenSchema.safeParse({ name: "x", expiresInDays: 366 }).success).toBe(false);
    expect(createTokenSchema.parse({ name: "x" })).toEqual({ name: "x", scope: "export", expiresInDays: 90 });
  });
});
