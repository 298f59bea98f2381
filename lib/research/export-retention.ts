import { rm } from "node:fs/promises";
import path from "node:path";
import { getDb } from "@/lib/db/client";
import { exportDir } from "./config";

/** Finished bundles are kept for EXPORT_RETENTION_HOURS, then deleted and their jobs marked EXPIRED. */

/** Deletes bundles past their retention and marks their jobs EXPIRED. */
export async function expireExports(now = new Date()): Promise<number> {
  const db = await getDb();
  const due = await db.exportJob.findMany({
    where: { status: "SUCCEEDED", expiresAt: { lte: now } },
    orderBy: { expiresAt: "asc" },
    select: { id: true, fileName: true },
    take: 100,
  });
  for (const j of due) {
    if (j.fileName) await rm(path.join(exportDir(), j.fileName), { force: true });
    await db.exportJob.updateMany({ where: { id: j.id, status: "SUCCEEDED" }, data: { status: "EXPIRED" } });
  }
  return due.length;
}

const sweep = globalThis as typeof globalThis & { __exportSweepAt?: number };

/**
 * Runs expireExports at most once a minute per process, from the requests that read exports
 * (the list polls every 1.5 s while an export runs: a sweep on every poll would be a query on
 * every poll). Between sweeps effectiveStatus already shows expired jobs as expired.
 */
export async function sweepExpiredSometimes(): Promise<void> {
  const now = Date.now();
  if (sweep.__exportSweepAt !== undefined && now - sweep.__exportSweepAt < 60_000) return;
  sweep.__exportSweepAt = now;
  await expireExports();
}
