// npm run db:seed — migrates, loads content/ (lib/startup.ts prepareDatabase) and, for the embedded demo database outside
// production, creates the demo accounts listed in README.
import { closeDb, databaseKind } from "@/lib/db/client";
import { env } from "@/lib/env";
import { prepareDatabase } from "@/lib/startup";
import { seedDemoUsers } from "@/prisma/seed";

try {
  const db = await prepareDatabase();
  const e = env();
  const demo = databaseKind() === "embedded" && e.NODE_ENV !== "production";
  if (demo) {
    const created = await seedDemoUsers(db);
    console.log(`[db:seed] demo accounts: ${created.length ? `created ${created.join(", ")}` : "already present"}`);
  } else {
    console.log("[db:seed] demo accounts are only created for the embedded demo database outside production");
  }
  console.log(`[db:seed] ${databaseKind()} database ready`);
} catch (err) {
  console.error(`[db:seed] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
