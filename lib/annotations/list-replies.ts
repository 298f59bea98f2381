import { getDb } from "@/lib/db/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import { contributionSelect, type ContributionDto } from "./dto";
import { withRatings } from "./list-contributions";
import { shownWhere } from "./threads";

export interface ReplyPage {
  items: ContributionDto[];
  nextCursor: string | null;
}

/**
 * A contribution's direct replies the viewer is shown, oldest first (a conversation reads
 * down), keyset-paged on the (parentId, createdAt, id) index, each with its own reply count.
 * A deleted or hidden parent still lists its visible replies: the reply, not the parent,
 * decides what the viewer may read.
 */
export async function listReplies(parentId: string, opts: { cursor?: string; limit: number; viewerId: string | null }): Promise<ReplyPage> {
  const db = await getDb();
  const parent = await db.contribution.findUnique({ where: { id: parentId }, select: { id: true } });
  if (!parent) throw notFound("Contribution");
  const after = afterCursor(opts.cursor, "createdAt", "asc");
  const rows = await db.contribution.findMany({
    where: { parentId, ...shownWhere(opts.viewerId), ...(after ? { AND: [after] } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: opts.limit + 1,
    select: contributionSelect,
  });
  const { page, nextCursor } = keysetPage(rows, opts.limit, (r) => [r.createdAt, r.id]);
  return { items: await withRatings(db, page, opts.viewerId), nextCursor };
}
