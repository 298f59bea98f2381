// Ad-hoc: times the paragraph list's function against DATABASE_URL (each paragraph, both orders).
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { getDb } from "@/lib/db/client";
const db = await getDb();
const slug = process.argv[2]!;
const viewer = process.argv[3] || null;
const anchors = (await db.$queryRaw<{ a: string; n: number }[]>`SELECT "placedAnchorId" AS a, count(*)::int AS n FROM "Contribution" WHERE "placedAnchorId" IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`);
for (const sort of [undefined, "newest"] as const) {
  for (const { a, n } of [anchors[0]!, anchors[Math.floor(anchors.length / 2)]!, anchors[anchors.length - 1]!]) {
    for (let i = 0; i < 3; i++) await listParagraphContributions(slug, a, { limit: 20, viewerId: viewer, sort });
    const t = performance.now();
    let page = await listParagraphContributions(slug, a, { limit: 20, viewerId: viewer, sort });
    const first = performance.now() - t;
    let deep = 0;
    for (let i = 0; i < 5 && page.nextCursor; i++) {
      const t2 = performance.now();
      page = await listParagraphContributions(slug, a, { limit: 20, viewerId: viewer, sort, cursor: page.nextCursor });
      deep = performance.now() - t2;
    }
    console.log(`${sort ?? "default"} ${a} (${n}): first ${first.toFixed(1)} ms, 6th page ${deep.toFixed(1)} ms, sort=${page.sort}`);
  }
}
process.exit(0);
