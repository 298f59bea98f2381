import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { contributionPath } from "@/lib/annotations/links";
import { firstLineText } from "@/lib/text/render-body";

export interface NotificationDto {
  id: string;
  kind: "REPLY";
  createdAt: string;
  read: boolean;
  /** The reply: who wrote it, its first line, where it is (opens the thread, focused on it). */
  reply: { id: string; author: string; firstLine: string; href: string; articleTitle: string };
  /** What it answers: the first line of the reader's own contribution. */
  inReplyTo: { firstLine: string };
}

export interface NotificationPage {
  items: NotificationDto[];
  nextCursor: string | null;
  unread: number;
}

const PAGE = 20;

/**
 * The caller's notifications, newest first, 20 a page (keyset on the (userId, createdAt, id)
 * index), with the unread count. A reply since hidden or deleted is left out: it links to nothing
 * the reader could open.
 */
export async function listNotifications(user: CurrentUser, cursor?: string): Promise<NotificationPage> {
  const db = await getDb();
  const after = afterCursor(cursor, "createdAt");
  const rows = await db.notification.findMany({
    where: { userId: user.id, contribution: { status: "PUBLISHED", deletedAt: null }, ...(after ? { AND: [after] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE + 1,
    select: {
      id: true,
      kind: true,
      createdAt: true,
      readAt: true,
      contribution: {
        select: {
          id: true,
          body: true,
          anchorId: true,
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
      return {
        id: n.id,
        kind: "REPLY",
        createdAt: n.createdAt.toISOString(),
        read: n.readAt !== null,
        reply: {
          id: c.id,
          author: c.author.name,
          firstLine: firstLineText(c.body),
          href: contributionPath(c.article.slug, c.anchorId, c.id),
          articleTitle: c.article.versions[0]?.title ?? c.article.slug,
        },
        inReplyTo: { firstLine: c.parent ? firstLineText(c.parent.body) : "" },
      };
    }),
    nextCursor,
    unread: await countUnread(user),
  };
}

/** Unread notifications of the caller that still link somewhere (the bell's number). */
export async function countUnread(user: CurrentUser): Promise<number> {
  const db = await getDb();
  return db.notification.count({ where: { userId: user.id, readAt: null, contribution: { status: "PUBLISHED", deletedAt: null } } });
}
