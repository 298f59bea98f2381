import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { contributionPath, placedAnchor } from "@/lib/annotations/links";
import { firstLineText } from "@/lib/text/render-body";
import { STILL_THERE } from "./outcomes";

export type NotificationKind = "REPLY" | "FOLLOWED" | "MODERATION";

export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  createdAt: string;
  read: boolean;
  /**
   * REPLY / FOLLOWED: the new contribution (who wrote it, its first line, where it is — the link
   * opens its thread, focused on it). MODERATION: the reader's own contribution.
   */
  contribution: { id: string; author: string; firstLine: string; href: string; articleTitle: string; isReply: boolean };
  /** REPLY: the first line of what it answers (the reader's own). */
  inReplyTo: { firstLine: string } | null;
  /** MODERATION: the decision. */
  outcome: string | null;
}

export interface NotificationPage {
  items: NotificationDto[];
  nextCursor: string | null;
  unread: number;
}

const PAGE = 20;


/**
 * The caller's notifications, newest first, 20 a page (keyset on the (userId, createdAt, id)
 * index), with the unread count. News of a contribution since hidden or deleted is left out (it
 * links to nothing the reader could open); a decision on the reader's own stays while it exists.
 */
export async function listNotifications(user: CurrentUser, cursor?: string): Promise<NotificationPage> {
  const db = await getDb();
  const after = afterCursor(cursor, "createdAt");
  const rows = await db.notification.findMany({
    where: { userId: user.id, ...STILL_THERE, ...(after ? { AND: [after] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE + 1,
    select: {
      id: true,
      kind: true,
      detail: true,
      createdAt: true,
      readAt: true,
      contribution: {
        select: {
          id: true,
          body: true,
          anchorId: true,
          placedAnchorId: true,
          parentId: true,
          author: { select: { name: true } },
          article: { select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { title: true } } } },
          parent: { select: { body: true } },
        },
      },
    },
  });
  const { page, nextCursor } = keysetPage(rows, PAGE, (r) => [r.createdAt, r.id]);
  return {
    items: page.map((n) => {
      const c = n.contribution;
      const kind = n.kind as NotificationKind;
      return {
        id: n.id,
        kind,
        createdAt: n.createdAt.toISOString(),
        read: n.readAt !== null,
        contribution: {
          id: c.id,
          author: c.author.name,
          firstLine: firstLineText(c.body),
          // Their own after a decision: where the reason is shown and an appeal can be made.
          href: kind === "MODERATION" ? "/me/contributions" : contributionPath(c.article.slug, placedAnchor(c), c.id),
          articleTitle: c.article.versions[0]?.title ?? c.article.slug,
          isReply: c.parentId !== null,
        },
        inReplyTo: kind === "REPLY" ? { firstLine: c.parent ? firstLineText(c.parent.body) : "" } : null,
        outcome: kind === "MODERATION" ? n.detail : null,
      };
    }),
    nextCursor,
    unread: await countUnread(user),
  };
}

/** Unread notifications of the caller that still link somewhere (the bell's number). */
export async function countUnread(user: CurrentUser): Promise<number> {
  const db = await getDb();
  return db.notification.count({ where: { userId: user.id, readAt: null, ...STILL_THERE } });
}
