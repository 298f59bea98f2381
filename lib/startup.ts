import { loadContent } from "@/lib/content/load-content";
import { closeDb, databaseKind, getDb, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";

/**
 * The order things happen in when the app (or a script that needs the articles) starts, in one
 * place: the environment is checked, the schema migrated (lib/db), content/ loaded (lib/content),
 * and queued research exports resumed (lib/research). lib/db knows nothing of content.
 */

let prepared: Promise<Db> | undefined;

/** The migrated database with the articles in content/ loaded: idempotent, once per process. */
export function prepareDatabase(): Promise<Db> {
  prepared ??= (async () => {
    const db = await getDb();
    await loadContent(db);
    return db;
  })();
  prepared.catch(() => {
    // Let the next caller try again rather than caching a failure forever.
    prepared = undefined;
  });
  return prepared;
}

/**
 * Server start (instrumentation.ts): check the environment (the app refuses to start on a bad
 * value, e.g. no NEXTAUTH_SECRET in production), then migrate and load content/.
 */
export async function startup(): Promise<void> {
  try {
    env();
  } catch (err) {
    console.error(`[startup] ${(err as Error).message}\n[startup] Refusing to start.`);
    process.exit(1);
  }
  try {
    await prepareDatabase();
  } catch (err) {
    console.error(`[startup] the database is not ready: ${(err as Error).message}\n[startup] Refusing to start.`);
    await closeDb().catch(() => undefined);
    process.exit(1);
  }
  console.log(`[startup] database ready (${databaseKind()}); articles loaded`);
  // Research exports left queued (or abandoned by a stopped process) start again here.
  const { kickExportWorker } = await import("@/lib/research/jobs");
  kickExportWorker();
  // The outbox worker: mail queued (or left half-sent by a stopped process) goes out from here.
  const { startMailWorker } = await import("@/lib/mail/send-pending");
  startMailWorker();
  // Scores for "Most helpful", in the background (lib/ranking/loop.ts).
  const { startRankingLoop } = await import("@/lib/ranking/loop");
  startRankingLoop();
  // Live events (the article streams' replay buffer) are kept a day.
  const { startEventPruning } = await import("@/lib/live/prune-loop");
  startEventPruning();
  // Every instance drops its own cached article pages when PostgreSQL says they changed (lib/cache).
  const { startPageCacheInvalidation } = await import("@/lib/cache/page-invalidation");
  startPageCacheInvalidation();
  // "Someone replied to you", made from the live events (lib/notifications).
  const { startNotifier } = await import("@/lib/notifications/notifier-loop");
  startNotifier();
}
