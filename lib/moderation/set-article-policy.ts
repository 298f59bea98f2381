import { canManageUsers } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { ModerationPolicy } from "@/lib/generated/prisma/enums";
import { forbidden, notFound } from "@/lib/http/errors";

/** Admins choose an article's policy: post-moderation (default) or pre-moderation. */
export async function setArticlePolicy(admin: CurrentUser, slug: string, policy: ModerationPolicy) {
  if (!canManageUsers(admin)) throw forbidden("Only admins can change an article's moderation policy.");
  const db = await getDb();
  const res = await db.article.updateMany({ where: { slug }, data: { moderationPolicy: policy } });
  if (res.count === 0) throw notFound("Article");
  return { slug, moderationPolicy: policy };
}
