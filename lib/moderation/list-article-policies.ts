import { canManageUsers } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { ModerationPolicy } from "@/lib/generated/prisma/enums";
import { forbidden } from "@/lib/http/errors";

export interface ArticlePolicyRow {
  slug: string;
  title: string;
  moderationPolicy: ModerationPolicy;
}

/** Every article with its moderation policy, for the admin's policy switch. */
export async function listArticlePolicies(admin: CurrentUser): Promise<ArticlePolicyRow[]> {
  if (!canManageUsers(admin)) throw forbidden("Only admins can see article policies.");
  const db = await getDb();
  const rows = await db.article.findMany({
    orderBy: { slug: "asc" },
    select: {
      slug: true,
      moderationPolicy: true,
      versions: { orderBy: { number: "desc" }, take: 1, select: { title: true } },
    },
  });
  return rows.map((a) => ({ slug: a.slug, title: a.versions[0]?.title ?? a.slug, moderationPolicy: a.moderationPolicy }));
}
