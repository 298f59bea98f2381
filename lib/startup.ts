import { closeDb, databaseKind, getDb } from "@/lib/db/client";
import { env } from "@/lib/env";

/**
 * Server start: check the environment (the app refuses to start on a bad value, e.g. no
 * NEXTAUTH_SECRET in production), then migrate and load content/ (both idempotent).
 */
export async function startup(): Promise<void> {
  try {
    env();
  } catch (err) {
    console.error(`[startup] ${(err as Error).message}\n[startup] Refusing to start.`);
    process.exit(1);
  }
  try {
    await getDb();
  } catch (err) {
    console.error(`[startup] the database is not ready: ${(err as Error).message}\n[startup] Refusing to start.`);
    await closeDb().catch(() => undefined);
    process.exit(1);
  }
  console.log(`[startup] database ready (${databaseKind()}); articles loaded`);
  // Research exports left queued (or abandoned by a stopped process) start again here.
  const { kickExportWorker } = await import("@/lib/research/jobs");
  kickExportWorker();
  // Scores for "Most helpful", in the background (lib/ranking/loop.ts).
  const { startRankingLoop } = await import("@/lib/ranking/loop");
  startRankingLoop();
}
