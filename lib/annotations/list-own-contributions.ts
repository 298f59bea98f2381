import { placedAnchor } from "./links";
import { canAppeal } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";

export interface OwnContribution {
  id: string;
  version: number;
  kind: string;
  status: string;
  body: string;
  quote: string;
  article: { slug: string; title: string };
  anchorId: string;
  createdAt: string;
  moderationReason: string | null;
  appeal: { status: string; note: string; decidedAt: string | null } | null;
  canAppeal: boolean;
}

/** The author's own contributions in every status, with moderation reasons and appeals. */
export async function listOwnContributions(user: CurrentUser, cursor?: string, limit = 30) {
  const db = await getDb();
  const after = afterCursor(cursor, "createdAt");
  const rows = await db.contribution.findMany({
    where: {
      authorId: user.id,
      deletedAt: null,
      ...(after ? { AND: [after] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      version: true,
      kind: true,
      status: true,
      body: true,
      quoteExact: true,
      anchorId: true,
      placedAnchorId: true,
      createdAt: true,
      moderationReason: true,
      article: { select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { title: true } } } },
      appeal: { select: { status: true, note: true, decidedAt: true } },
    },
  });
  const { page, nextCursor } = keysetPage(rows, limit, (r) => [r.createdAt, r.id]);
  const items: OwnContribution[] = page.map((r) => ({
    id: r.id,
    version: r.version,
    kind: r.kind,
    status: r.status,
    body: r.body,
    quote: r.quoteExact,
    article: { slug: r.article.slug, title: r.article.versions[0]?.title ?? r.article.slug },
    anchorId: placedAnchor(r),
    createdAt: r.createdAt.toISOString(),
    moderationReason: r.moderationReason,
    appeal: r.appeal ? { status: r.appeal.status, note: r.appeal.note, decidedAt: r.appeal.decidedAt?.toISOString() ?? null } : null,
    canAppeal: canAppeal(user, { authorId: user.id, deletedAt: null, status: r.status, hasAppeal: r.appeal !== null }),
  }));
  return { items, nextCursor };
}
