import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { usesHttps } from "@/lib/http/app-url";
import { forbidden, unauthenticated } from "@/lib/http/errors";
import { sessionSecret, signedInBefore } from "./options";
import { canManageUsers, canModerate } from "./permissions";
import { SESSION_COOKIE } from "./session-cookie";
import { isSuspendedNow } from "./suspension";

export interface CurrentUser {
  id: string;
  name: string;
  role: Role;
  /** For the stricter limits on accounts younger than a day. */
  createdAt?: Date;
  /** Whether the email address was confirmed (REQUIRE_VERIFIED_EMAIL_TO_POST). */
  emailVerified?: boolean;
}

/**
 * The signed-in user, re-read from the database on every request: a suspended or deleted
 * account stops working at its next request, not when its token expires; a session signed in
 * before the password was last reset is signed out.
 *
 * The session token is decoded with next-auth's own `getToken` (the JWE it issued, its expiry
 * checked) and the user read once. `getServerSession` would run next-auth's whole session action
 * and its session callback (options.ts), which reads the same user again: one database read and
 * ~3 ms of server CPU per signed-in request (docs/perf.md). The rules are the callback's: no
 * user id, no user, not ACTIVE (a suspension that has ended is lifted here) or signed in before
 * the last password reset — signed out.
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  // A request without a session cookie is anonymous: no token to decode, no database read (the
  // anonymous reads of the discussion are the hottest requests, issue 11).
  const jar = await cookies();
  if (!jar.getAll().some((c) => SESSION_COOKIE.test(c.name))) return null;
  const token = await getToken({
    // Cookies only: no `Authorization: Bearer` fallback, which getServerSession does not accept either.
    req: { cookies: jar, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: sessionSecret(),
    secureCookie: usesHttps(),
    logger: silentLogger,
  });
  const id = token?.uid;
  if (typeof id !== "string") return null;
  const db = await getDb();
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, name: true, role: true, status: true, suspendedUntil: true, createdAt: true, emailVerifiedAt: true, passwordChangedAt: true },
  });
  if (!user || signedInBefore(token?.authAt, user.passwordChangedAt)) return null;
  if (user.status === "SUSPENDED" ? await isSuspendedNow(user) : user.status !== "ACTIVE") return null;
  return { id: user.id, name: user.name, role: user.role, createdAt: user.createdAt, emailVerified: user.emailVerifiedAt !== null };
}

/** A token that does not decode is "signed out", not an error worth a log line per request. */
const silentLogger = { error: () => {}, warn: () => {}, debug: () => {} } as unknown as Console;

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw unauthenticated();
  return user;
}

/** The signed-in moderator or admin (401 if signed out, 403 otherwise). */
export async function requireModerator(): Promise<CurrentUser> {
  const user = await requireUser();
  if (!canModerate(user)) throw forbidden("Moderators only.");
  return user;
}

/** The signed-in admin: people and article policies (401 if signed out, 403 otherwise). */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (!canManageUsers(user)) throw forbidden("Admins only.");
  return user;
}
