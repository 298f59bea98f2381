import { countPublishedByAuthor, listPublishedByAuthor, type PublicContribution } from "@/lib/annotations/list-published-by-author";
import { getDb } from "@/lib/db/client";

/** Contributions per profile page. */
export const PROFILE_PAGE_SIZE = 20;

/**
 * The roles a profile names: those that act on readers' contributions in public (moderators and
 * admins decide what stays visible, and readers may want to know whose words those are). A
 * researcher's access to exports, and a reader's default role, are not shown.
 */
const PUBLIC_ROLES = ["MODERATOR", "ADMIN"] as const;
export type PublicRole = (typeof PUBLIC_ROLES)[number];

export interface Profile {
  person: {
    id: string;
    name: string;
    /** The month the account was made, "YYYY-MM" (UTC): no more precise than the page says. */
    joined: string;
    role: PublicRole | null;
    /** Contributions any reader can see (published, not deleted). */
    published: number;
  };
  contributions: { items: PublicContribution[]; nextCursor: string | null };
}

/**
 * A person's public profile (docs/decisions/0038): what any reader could already learn from the
 * articles' discussions — the name, when they joined, a public-facing role, and their published
 * contributions, newest first, 20 a page. Never an email, a status, a suspension or anything
 * pending, hidden, rejected or deleted. Null for an id that names nobody.
 */
export async function getProfile(id: string, opts: { cursor?: string } = {}): Promise<Profile | null> {
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id }, select: { id: true, name: true, role: true, createdAt: true } });
  if (!user) return null;
  const [published, contributions] = await Promise.all([
    countPublishedByAuthor(user.id),
    listPublishedByAuthor(user.id, { cursor: opts.cursor, limit: PROFILE_PAGE_SIZE }),
  ]);
  const role = (PUBLIC_ROLES as readonly string[]).includes(user.role) ? (user.role as PublicRole) : null;
  return {
    person: { id: user.id, name: user.name, joined: user.createdAt.toISOString().slice(0, 7), role, published },
    contributions,
  };
}
