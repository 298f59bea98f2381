import { placedAnchor } from "@/lib/annotations/links";
import { canModerate } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { z } from "zod";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { forbidden } from "@/lib/http/errors";
import type { logQuerySchema } from "./schemas";

export interface LogRow {
  id: string;
  at: string;
  action: string;
  /** The actor, and their role when they acted (null on entries logged before roles were recorded). */
  actor: { id: string; name: string; role: string | null } | null;
  contribution: { id: string; kind: string; quote: string; articleSlug: string; anchorId: string } | null;
  target: { id: string; name: string } | null;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  details: unknown;
}

/** The audit log, newest first, keyset-paged, filterable. Read-only by construction. */
export async function listLog(moderator: CurrentUser, q: z.infer<typeof logQuerySchema>): Promise<{ items: LogRow[]; nextCursor: string | null }> {
  if (!canModerate(moderator)) throw forbidden("Only moderators can read the audit log.");
  const db = await getDb();
  const where: Prisma.ModerationLogWhereInput = {};
  if (q.action) where.action = q.action;
  if (q.contribution) where.contributionId = q.contribution;
  if (q.actor) where.actorId = q.actor;
  if (q.target) where.targetUserId = q.target;
  const after = afterCursor(q.cursor, "createdAt");
  if (after) where.AND = [after];
  const rows = await db.moderationLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: {
      id: true,
      createdAt: true,
      action: true,
      fromStatus: true,
      toStatus: true,
      reason: true,
      details: true,
      actorRole: true,
      actor: { select: { id: true, name: true } },
      targetUser: { select: { id: true, name: true } },
      contribution: { select: { id: true, kind: true, quoteExact: true, anchorId: true, placedAnchorId: true, article: { select: { slug: true } } } },
    },
  });
  const { page, nextCursor } = keysetPage(rows, q.limit, (r) => [r.createdAt, r.id]);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      action: r.action,
      actor: r.actor ? { ...r.actor, role: r.actorRole } : null,
      contribution: r.contribution
        ? { id: r.contribution.id, kind: r.contribution.kind, quote: r.contribution.quoteExact, articleSlug: r.contribution.article.slug, anchorId: placedAnchor(r.contribution) }
        : null,
      target: r.targetUser,
      fromStatus: r.fromStatus,
      toStatus: r.toStatus,
      reason: r.reason,
      details: r.details,
    })),
    nextCursor,
  };
}
