import { placedAnchor } from "@/lib/annotations/links";
import { canModerate } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { z } from "zod";
import { afterCursor, decodeCursor, keysetPage } from "@/lib/http/cursor";
import { forbidden } from "@/lib/http/errors";
import { isId } from "@/lib/http/parse";
import { sourceOf, type SourceDto } from "@/lib/annotations/dto";
import { matchSql } from "@/lib/search/config";
import { allowedDecisions, type Decision } from "./status-machine";
import type { queueQuerySchema } from "./schemas";

export interface QueueItem {
  id: string;
  version: number;
  kind: string;
  status: string;
  body: string;
  source: SourceDto | null;
  /** For a reply: what it answers (the moderator needs the exchange to judge it). */
  inReplyTo: { id: string; kind: string; status: string; deleted: boolean; authorName: string; body: string } | null;
  depth: number;
  /** Edited by its author since it was posted: the queue offers the edit history (what changed since a decision). */
  edited: boolean;
  /**
   * Hidden or rejected, then edited: the text as it was when that decision was taken (the audit
   * entry's version), so the moderator judges the appeal against what was hidden. Null otherwise.
   */
  whenHidden: { action: string; at: string; body: string } | null;
  quote: string;
  wholeParagraph: boolean;
  article: { slug: string; title: string };
  anchorId: string;
  createdAt: string;
  queuedAt: string;
  moderationReason: string | null;
  author: { id: string; name: string; since: string; priorDecisions: number; status: string };
  flags: { reason: string; note: string | null; createdAt: string }[];
  appeal: { note: string; createdAt: string } | null;
  decisions: Decision[];
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

/**
 * The moderation queue: contributions waiting for a decision (pending, flagged, appealed),
 * oldest in the queue first by default, keyset-paged on (queuedAt, id). `q` keeps those whose
 * words match (full-text search over every status in the queue; lib/search).
 */
export async function listQueue(moderator: CurrentUser, q: z.infer<typeof queueQuerySchema>): Promise<QueuePage> {
  if (!canModerate(moderator)) throw forbidden("Only moderators can see the queue.");
  const db = await getDb();
  const asc = q.order === "oldest";
  const where: Prisma.ContributionWhereInput = { queuedAt: { not: null }, deletedAt: null };
  const and: Prisma.ContributionWhereInput[] = [];
  if (q.article) and.push({ article: { slug: q.article } });
  if (q.kind) and.push({ kind: q.kind });
  if (q.status) and.push({ status: q.status });
  if (q.reason) and.push({ flags: { some: { status: "OPEN", reason: q.reason } } });
  if (q.author) and.push({ author: { OR: [{ name: { contains: q.author, mode: "insensitive" } }, ...(isId(q.author) ? [{ id: q.author }] : [])] } });
  const after = afterCursor(q.cursor, "queuedAt", asc ? "asc" : "desc");
  if (after) and.push(after);
  // Words: the page's ids from the GIN index (in queue order, with every filter above), then the rows.
  if (q.q) and.push({ id: { in: await matchingQueuePage(q) } });
  if (and.length) where.AND = and;
  const rows = await db.contribution.findMany({
    where,
    orderBy: [{ queuedAt: asc ? "asc" : "desc" }, { id: asc ? "asc" : "desc" }],
    take: q.limit + 1,
    select: {
      id: true,
      version: true,
      kind: true,
      status: true,
      body: true,
      sourceUrl: true,
      sourceTitle: true,
      stance: true,
      sourceDomain: true,
      sourceDoi: true,
      sourceArchiveUrl: true,
      sourceQuote: true,
      depth: true,
      editedAt: true,
      parent: { select: { id: true, kind: true, status: true, deletedAt: true, body: true, author: { select: { name: true } } } },
      quoteExact: true,
      wholeParagraph: true,
      anchorId: true,
      placedAnchorId: true,
      createdAt: true,
      queuedAt: true,
      moderationReason: true,
      article: { select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { title: true } } } },
      author: { select: { id: true, name: true, createdAt: true, status: true } },
      flags: { where: { status: "OPEN" }, orderBy: { createdAt: "asc" }, select: { reason: true, note: true, createdAt: true } },
      appeal: { select: { note: true, createdAt: true, status: true } },
    },
  });
  const { page, nextCursor } = keysetPage(rows, q.limit, (r) => [r.queuedAt!, r.id]);
  const authorIds = [...new Set(page.map((r) => r.author.id))];
  const prior = authorIds.length
    ? await db.moderationLog.groupBy({
        by: ["targetUserId"],
        where: { targetUserId: { in: authorIds }, contributionId: { not: null }, action: { in: ["HIDE", "REJECT", "AUTO_HIDE"] } },
        _count: { _all: true },
      })
    : [];
  const priorBy = new Map(prior.map((p) => [p.targetUserId, p._count._all]));
  // For hidden or rejected items edited since: the text the decision was about (one query for the page).
  const removedEdited = page.filter((r) => r.editedAt !== null && (r.status === "HIDDEN" || r.status === "REJECTED")).map((r) => r.id);
  const hiddenTexts = removedEdited.length
    ? await db.$queryRaw<{ id: string; action: string; at: Date; body: string }[]>`
        SELECT c.id::text AS id, l.action::text AS action, l."createdAt" AS at, rv.body
        FROM unnest(${removedEdited}::uuid[]) AS c(id)
        JOIN LATERAL (
          SELECT action, "createdAt", "contributionVersion" FROM "ModerationLog"
          WHERE "contributionId" = c.id AND action IN ('HIDE', 'REJECT', 'AUTO_HIDE') AND "contributionVersion" IS NOT NULL
          ORDER BY "createdAt" DESC LIMIT 1) l ON true
        JOIN LATERAL (
          SELECT body FROM "ContributionRevision"
          WHERE "contributionId" = c.id AND version <= l."contributionVersion"
          ORDER BY version DESC LIMIT 1) rv ON true`
    : [];
  const hiddenBy = new Map(hiddenTexts.map((h) => [h.id, h]));
  return {
    items: page.map((r) => ({
      id: r.id,
      version: r.version,
      kind: r.kind,
      status: r.status,
      body: r.body,
      source: sourceOf(r),
      inReplyTo: r.parent
        ? {
            id: r.parent.id,
            kind: r.parent.kind,
            status: r.parent.status,
            deleted: r.parent.deletedAt !== null,
            authorName: r.parent.author.name,
            body: r.parent.body,
          }
        : null,
      depth: r.depth,
      edited: r.editedAt !== null,
      whenHidden: (() => {
        const h = hiddenBy.get(r.id);
        return h && h.body !== r.body ? { action: h.action, at: h.at.toISOString(), body: h.body } : null;
      })(),
      quote: r.quoteExact,
      wholeParagraph: r.wholeParagraph,
      article: { slug: r.article.slug, title: r.article.versions[0]?.title ?? r.article.slug },
      anchorId: placedAnchor(r),
      createdAt: r.createdAt.toISOString(),
      queuedAt: r.queuedAt!.toISOString(),
      moderationReason: r.moderationReason,
      author: {
        id: r.author.id,
        name: r.author.name,
        since: r.author.createdAt.toISOString(),
        priorDecisions: priorBy.get(r.author.id) ?? 0,
        status: r.author.status,
      },
      flags: r.flags.map((f) => ({ reason: f.reason, note: f.note, createdAt: f.createdAt.toISOString() })),
      appeal: r.appeal?.status === "OPEN" ? { note: r.appeal.note, createdAt: r.appeal.createdAt.toISOString() } : null,
      decisions: allowedDecisions(r.status),
    })),
    nextCursor,
  };
}

/** LIKE's wildcards in `s` taken literally (Prisma's `contains`, written in SQL). */
const likeEscaped = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The ids of one queue page whose words match `q.q`, in queue order: the filters of listQueue in
 * SQL (a where-clause over the tsvector cannot be written in Prisma), then listQueue reads the rows.
 */
async function matchingQueuePage(q: z.infer<typeof queueQuerySchema>): Promise<string[]> {
  const db = await getDb();
  const asc = q.order === "oldest";
  const conds: Prisma.Sql[] = [Prisma.sql`c."queuedAt" IS NOT NULL AND c."deletedAt" IS NULL AND ${matchSql("c", q.q!)}`];
  if (q.article) conds.push(Prisma.sql`c."articleId" = (SELECT a.id FROM "Article" a WHERE a.slug = ${q.article})`);
  if (q.kind) conds.push(Prisma.sql`c.kind = ${q.kind}::"ContributionKind"`);
  if (q.status) conds.push(Prisma.sql`c.status = ${q.status}::"ContributionStatus"`);
  if (q.reason) conds.push(Prisma.sql`EXISTS (SELECT 1 FROM "Flag" f WHERE f."contributionId" = c.id AND f.status = 'OPEN' AND f.reason = ${q.reason}::"FlagReason")`);
  if (q.author) {
    const byId = isId(q.author) ? Prisma.sql`OR u.id = ${q.author}::uuid` : Prisma.empty;
    conds.push(Prisma.sql`EXISTS (SELECT 1 FROM "User" u WHERE u.id = c."authorId" AND (u.name ILIKE ${`%${likeEscaped(q.author)}%`} ${byId}))`);
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    conds.push(asc
      ? Prisma.sql`(c."queuedAt", c.id) > (${c.at}::timestamptz, ${c.id}::uuid)`
      : Prisma.sql`(c."queuedAt", c.id) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const dir = Prisma.raw(asc ? "ASC" : "DESC");
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT c.id::text AS id FROM "Contribution" c
    WHERE ${Prisma.join(conds, " AND ")}
    ORDER BY c."queuedAt" ${dir}, c.id ${dir}
    LIMIT ${q.limit + 1}`;
  return rows.map((r) => r.id);
}
