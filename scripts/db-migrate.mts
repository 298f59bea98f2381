// npm run db:migrate — applies prisma/migrations to DATABASE_URL (or the embedded database).
import { closeDb, databaseKind, withSql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

try {
  const res = await withSql((conn) => migrate(conn));
  console.log(
    `[db:migrate] ${databaseKind()} database: applied ${res.applied.length} (${res.applied.join(", ") || "none"}), ` +
      `${res.alreadyApplied.length} already applied`,
  );
} catch (err) {
  console.error(`[db:migrate] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
