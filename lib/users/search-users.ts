import { canManageUsers } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { forbidden } from "@/lib/http/errors";

export interface AdminUserRow {
  id: string;
  name: string;
  email: string;
  role: string;
  status: string;
  suspendedUntil: string | null;
  suspensionReason: string | null;
  createdAt: string;
  contributions: number;
}

/** Admins find people by name or email (emails are shown to admins only). */
export async function searchUsers(admin: CurrentUser, q: string | undefined, limit = 50): Promise<AdminUserRow[]> {
  if (!canManageUsers(admin)) throw forbidden("Only admins can manage people.");
  const db = await getDb();
  const text = q ? escapeLike(q) : undefined;
  const rows = await db.user.findMany({
    where: text ? { OR: [{ email: { contains: text, mode: "insensitive" } }, { name: { contains: text, mode: "insensitive" } }] } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      status: true,
      suspendedUntil: true,
      suspensionReason: true,
      createdAt: true,
      _count: { select: { contributions: true } },
    },
  });
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    status: u.status,
    suspendedUntil: u.suspendedUntil?.toISOString() ?? null,
    suspensionReason: u.suspensionReason,
    createdAt: u.createdAt.toISOString(),
    contributions: u._count.contributions,
  }));
}

/**
 * Prisma's `contains` becomes ILIKE '%…%' without escaping the pattern, so `%` and `_` typed in
 * the search box would match anything. Backslash is PostgreSQL's default LIKE escape.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
