import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { forbidden, unauthenticated } from "@/lib/http/errors";
import { authOptions } from "./options";
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
 * account stops working at its next request, not when its token expires.
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  // A request without a session cookie is anonymous: no token to decode, no database read (the
  // anonymous reads of the discussion are the hottest requests, issue 11).
  if (!(await hasSessionCookie())) return null;
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const db = await getDb();
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, name: true, role: true, status: true, suspendedUntil: true, createdAt: true, emailVerifiedAt: true },
  });
  if (!user || (await isSuspendedNow(user))) return null;
  return { id: user.id, name: user.name, role: user.role, createdAt: user.createdAt, emailVerified: user.emailVerifiedAt !== null };
}

async function hasSessionCookie(): Promise<boolean> {
  return (await cookies()).getAll().some((c) => SESSION_COOKIE.test(c.name));
}

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
