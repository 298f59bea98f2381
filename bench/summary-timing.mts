import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { getDb } from "@/lib/db/client";
const db = await getDb();
const a = await db.article.findFirstOrThrow({ select: { id: true } });
for (let i = 0; i < 3; i++) { const t = performance.now(); const m = await paragraphSummaries(a.id); console.log(`summaries ${(performance.now() - t).toFixed(0)} ms, ${m.size} paragraphs, tops ${[...m.values()].filter((s) => s.top).length}`); }
process.exit(0);
