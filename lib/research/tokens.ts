import { createHash, randomBytes } from "node:crypto";
import type { z } from "zod";
import { canResearch } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { isSuspendedNow } from "@/lib/auth/suspension";
import { getDb } from "@/lib/db/client";
import type { TokenScope } from "@/lib/generated/prisma/enums";
import { AppError, forbidden, notFound } from "@/lib/http/errors";
import type { createTokenSchema, TokenScopeName } from "./schemas";

/**
 * API tokens for the export API. A token is `adx_` + 32 random bytes (base64url); only its
 * sha256 is stored, so it is shown once. Scoped (export, export:read), expiring, revocable;
 * every use re-checks the owner's account and role and records the time.
 */

const PREFIX = "adx_";

export const SCOPE_TO_DB: Record<TokenScopeName, TokenScope> = { export: "EXPORT", "export:read": "EXPORT_READ" };
export const SCOPE_FROM_DB: Record<TokenScope, TokenScopeName> = { EXPORT: "export", EXPORT_READ: "export:read" };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface TokenDto {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScopeName;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
}

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

const tokenSelect = { id: true, name: true, prefix: true, scope: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } as const;

function toDto(t: TokenRow, now = new Date()): TokenDto {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scope: SCOPE_FROM_DB[t.scope],
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    active: !t.revokedAt && (!t.expiresAt || t.expiresAt > now),
  };
}

export async function createToken(
  user: CurrentUser,
  input: z.output<typeof createTokenSchema>,
): Promise<{ token: string; record: TokenDto }> {
  if (!canResearch(user)) throw forbidden("Researchers only.");
  const db = await getDb();
  const active = await db.apiToken.count({ where: { userId: user.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } });
  if (active >= 20) throw new AppError("conflict", "You have 20 active tokens. Revoke one you no longer use first.");
  const token = PREFIX + randomBytes(32).toString("base64url");
  const row = await db.apiToken.create({
    data: {
      userId: user.id,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, PREFIX.length + 6),
      scope: SCOPE_TO_DB[input.scope],
      expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
    },
    select: tokenSelect,
  });
  return { token, record: toDto(row) };
}

export async function listTokens(user: CurrentUser): Promise<TokenDto[]> {
  if (!canResearch(user)) throw forbidden("Researchers only.");
  const db = await getDb();
  const rows = await db.apiToken.findMany({
    where: { userId: user.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: tokenSelect,
  });
  const now = new Date();
  return rows.map((r) => toDto(r, now));
}

/** Revokes one of the caller's own tokens (404 for anyone else's). Revoking twice is harmless. */
export async function revokeToken(user: CurrentUser, id: string): Promise<TokenDto> {
  if (!canResearch(user)) throw forbidden("Researchers only.");
  const db = await getDb();
  const t = await db.apiToken.findUnique({ where: { id }, select: { userId: true, revokedAt: true } });
  if (!t || t.userId !== user.id) throw notFound("Token");
  const row = await db.apiToken.update({
    where: { id },
    data: t.revokedAt ? {} : { revokedAt: new Date() },
    select: tokenSelect,
  });
  return toDto(row);
}

/**
 * The user and scope behind a bearer token. 401 for an unknown, revoked or expired token or a
 * suspended owner; 403 when the owner is no longer a researcher or admin.
 */
export async function authenticateToken(token: string): Promise<{ user: CurrentUser; scope: TokenScopeName }> {
  const invalid = () => new AppError("unauthenticated", "The API token is not valid: unknown, revoked or expired.");
  if (!token.startsWith(PREFIX) || token.length > 200) throw invalid();
  const db = await getDb();
  const t = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      scope: true,
      revokedAt: true,
      expiresAt: true,
      user: { select: { id: true, name: true, role: true, status: true, suspendedUntil: true, createdAt: true } },
    },
  });
  const now = new Date();
  if (!t || t.revokedAt || (t.expiresAt && t.expiresAt <= now)) throw invalid();
  if (await isSuspendedNow(t.user)) throw new AppError("unauthenticated", "The account that owns this token is suspended.");
  const user: CurrentUser = { id: t.user.id, name: t.user.name, role: t.user.role, createdAt: t.user.createdAt };
  if (!canResearch(user)) throw forbidden("The token's owner is no longer a researcher.");
  // Last use, to the minute: a script polling every second does not write every second.
  await db.apiToken.updateMany({
    where: { id: t.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
  return { user, scope: SCOPE_FROM_DB[t.scope] };
}
