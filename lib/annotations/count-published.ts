import { getDb } from "@/lib/db/client";
import type { KindCounts } from "./summary";
import { visibleWhere } from "./threads";

/**
 * Per article, what any reader can see in its discussion, by kind (replies included): published
 * and not deleted, the rule of the article's own lists and counts (./threads.ts). One grouped
 * query, an index-only scan of Contribution(status, deletedAt, articleId, kind) however many
 * contributions there are; the home page caches it (lib/cache/home-listing.ts).
 */
export async function countPublishedByArticle(): Promise<Map<string, KindCounts>> {
  const db = await getDb();
  const rows = await db.contribution.groupBy({
    by: ["articleId", "kind"],
    where: visibleWhere(null),
    _count: { _all: true },
  });
  const out = new Map<string, KindCounts>();
  for (const r of rows) {
    let c = out.get(r.articleId);
    if (!c) out.set(r.articleId, (c = { ANNOTATION: 0, COUNTERPOINT: 0, SOURCE: 0 }));
    c[r.kind] = r._count._all;
  }
  return out;
}
