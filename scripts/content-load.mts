// npm run content:load — migrates the database (DATABASE_URL, or the embedded one) and loads
// content/articles as the app does when it starts: a changed article gets a new version, and in
// the same transaction every contribution is re-anchored onto it (docs/decisions/0029). Prints,
// per article, the current version and how its contributions are anchored there, and when a file
// was left because an admin's revision is newer than it (docs/decisions/0043).
import { readArticles } from "@/lib/content/load-content";
import { closeDb, databaseKind } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/startup";

try {
  const db = await prepareDatabase(); // migrates, then loads content/ (re-anchoring on a new version)
  console.log(`[content:load] ${databaseKind()} database: content/articles loaded`);
  for (const a of await readArticles()) {
    const v = await db.articleVersion.findFirstOrThrow({
      where: { article: { slug: a.slug } },
      orderBy: { number: "desc" },
      select: { id: true, number: true, createdAt: true, source: true },
    });
    const lastFromFile = await db.articleVersion.findFirst({
      where: { article: { slug: a.slug }, source: "FILE" },
      orderBy: { number: "desc" },
      select: { number: true, contentHash: true },
    });
    if (v.source === "ADMIN" && lastFromFile?.contentHash === a.contentHash) {
      console.log(
        `[content:load] ${a.slug}: file left as it is — an admin revision (version ${v.number}) is newer than the file (last loaded as version ${lastFromFile.number}); edit the file to make it the source again`,
      );
    }
    const counts = await db.contributionAnchoring.groupBy({ by: ["method"], where: { versionId: v.id }, _count: { _all: true } });
    const written = await db.contribution.count({ where: { articleVersionId: v.id } });
    const by = Object.fromEntries(counts.map((c) => [c.method, c._count._all]));
    console.log(
      `[content:load] ${a.slug}: version ${v.number} (${v.createdAt.toISOString()}); ` +
        `${written} written on it, re-anchored: ${by.EXACT ?? 0} exact, ${by.FUZZY ?? 0} fuzzy, ${by.ORPHANED ?? 0} orphaned`,
    );
  }
} catch (err) {
  console.error(`[content:load] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
