import { getDb, type Db } from "@/lib/db/client";
import type { ParagraphSummary } from "@/lib/annotations/summary";

/** One row of ArticleEvent (written by the Contribution trigger, migration 20261203160000_live_events). */
export interface ArticleEventRow {
  id: bigint;
  articleId: string;
  contributionId: string;
  anchorId: string;
  parentId: string | null;
  authorId: string;
  type: "posted" | "changed" | "removed";
  status: string;
  wasPublished: boolean;
}

/** What a browser receives: which contribution changed how, and its paragraph's margin as it is now. */
export interface LiveEvent {
  id: string;
  type: ArticleEventRow["type"];
  contributionId: string;
  parentId: string | null;
  anchorId: string;
  /** The paragraph's public summary (counts, highlights, teaser) after the change. */
  summary: ParagraphSummary;
}

/** A catch-up longer than this is not replayed: the browser is told to reload its summaries instead. */
export const MAX_CATCH_UP = 500;

export async function readEvents(db: Db, articleId: string, afterId: bigint, limit = MAX_CATCH_UP): Promise<ArticleEventRow[]> {
  return (await db.articleEvent.findMany({
    where: { articleId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
  })) as ArticleEventRow[];
}

/**
 * Where the article page's live stream starts: the last event before the page's summaries were
 * read. A cached page is up to its revalidate interval old; the stream replays what came since.
 */
export async function eventCursor(articleId: string): Promise<string> {
  return (await latestEventId(await getDb(), articleId)).toString();
}

export async function latestEventId(db: Db, articleId: string): Promise<bigint> {
  const last = await db.articleEvent.findFirst({ where: { articleId }, orderBy: { id: "desc" }, select: { id: true } });
  return last?.id ?? 0n;
}

/**
 * Whether a viewer hears of a change: a published contribution's arrival or change, or the
 * removal of one readers could see; authors also hear of their own in any status. A pending one
 * reaches nobody else (moderators see it in the queue), so the stream never reveals what the
 * paragraph's list would not show.
 */
export function canHear(viewerId: string | null, e: Pick<ArticleEventRow, "type" | "status" | "wasPublished" | "authorId">): boolean {
  if (viewerId !== null && e.authorId === viewerId) return true;
  if (e.type === "removed") return e.wasPublished;
  return e.status === "PUBLISHED";
}

/** Events older than this are deleted by pruneEvents (a browser gone that long reloads). */
export const EVENT_RETENTION_MS = 24 * 60 * 60_000;

export async function pruneEvents(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.articleEvent.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - EVENT_RETENTION_MS) } } });
  return count;
}
