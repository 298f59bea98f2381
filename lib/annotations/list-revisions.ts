import { canReadHistory } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { sourceOf, type SourceDto } from "./dto";
import { sourceDomainOf as domainOf } from "./source-link";

export interface RevisionDto {
  /** The contribution's version once this text was written (1: as posted). */
  version: number;
  body: string;
  source: SourceDto | null;
  createdAt: string;
}

export interface RevisionPage {
  items: RevisionDto[];
  /** Pass as `after` for the next page; null on the last. */
  nextAfter: number | null;
}

/**
 * A contribution's edit history, oldest first (as posted, then each edit), paged by version:
 * readable by whoever may read the contribution (canReadHistory). What a reader cannot see is
 * a 404, as everywhere else.
 */
export async function listRevisions(viewer: CurrentUser | null, id: string, opts: { after?: number; limit: number }): Promise<RevisionPage> {
  const db = await getDb();
  const c = await db.contribution.findUnique({ where: { id }, select: { authorId: true, status: true, deletedAt: true } });
  if (!c || !canReadHistory(viewer, c)) throw notFound("Contribution");
  const rows = await db.contributionRevision.findMany({
    where: { contributionId: id, ...(opts.after !== undefined ? { version: { gt: opts.after } } : {}) },
    orderBy: { version: "asc" },
    take: opts.limit + 1,
  });
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((r) => ({
      version: r.version,
      body: r.body,
      // A revision keeps what the author typed; its domain is derived as the contribution's is.
      source: sourceOf({ ...r, sourceDomain: r.sourceUrl ? domainOf(r.sourceUrl) : null }),
      createdAt: r.createdAt.toISOString(),
    })),
    nextAfter: rows.length > opts.limit ? page[page.length - 1]!.version : null,
  };
}
