import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { unauthenticated } from "@/lib/http/errors";
import { authOptions } from "./options";

export interface CurrentUser {
  id: string;
  name: string;
  role: Role;
}

/**
 * The signed-in user, re-read from the database on every request: a suspended or deleted
 * account stops working at its next request, not when its token expires.
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id }, select: { id: true, name: true, role: true, status: true } });
  if (!user || user.status !== "ACTIVE") return null;
  return { id: user.id, name: user.name, role: user.role };
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw unauthenticated();
  return user;
}
