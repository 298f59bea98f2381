import path from "node:path";
import { canExportUnpublished, canResearch } from "@/lib/auth/permissions";
import { appendLog } from "@/lib/audit/append-log";
import { getDb } from "@/lib/db/client";
import { AppError, forbidden } from "@/lib/http/errors";
import { writeBundle } from "./bundle";
import { exportDir, retentionMs } from "./config";
import { FORMAT_FROM_DB, jobSelect, toDto, type ExportDto } from "./export-job";
import { expireExports } from "./export-retention";
import { exportFiltersSchema } from "./schemas";

/**
 * The worker in the app process: runs export jobs one at a time per process (several processes
 * share the queue through the database), writing progress as rows go out. A job whose process
 * died is picked up again once its heartbeat is STALE_AFTER_MS old.
 */

const STALE_AFTER_MS = 120_000;

/** Claims a job: the given one if still queued, else the oldest queued or abandoned one. */
async function claim(id?: string): Promise<string | null> {
  const db = await getDb();
  const rows = id
    ? await db.$queryRaw<{ id: string }[]>`
        UPDATE "ExportJob" SET status = 'RUNNING', "startedAt" = now(), "heartbeatAt" = now(), "rowsWritten" = 0
         WHERE id = ${id}::uuid AND status = 'QUEUED' RETURNING id::text`
    : await db.$queryRaw<{ id: string }[]>`
        UPDATE "ExportJob" SET status = 'RUNNING', "startedAt" = now(), "heartbeatAt" = now(), "rowsWritten" = 0
         WHERE id = (SELECT id FROM "ExportJob"
                      WHERE status = 'QUEUED'
                         OR (status = 'RUNNING' AND "heartbeatAt" < now() - make_interval(secs => ${STALE_AFTER_MS / 1000}))
                      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id::text`;
  return rows[0]?.id ?? null;
}

/** Runs one claimed job to the end (SUCCEEDED or FAILED), logging it in the audit log. */
async function run(id: string): Promise<void> {
  const db = await getDb();
  const job = await db.exportJob.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      format: true,
      filters: true,
      createdAt: true,
      requestedVia: true,
      requestedById: true,
      study: { select: { id: true, name: true, pseudonymKey: true } },
      requestedBy: { select: { role: true } },
    },
  });
  const filters = exportFiltersSchema.parse(job.filters);
  const log = async (details: Record<string, unknown>) => {
    await db.$transaction(async (tx) => {
      await appendLog(tx, {
        actorId: job.requestedById,
        action: "EXPORT",
        reason: `Research export (${FORMAT_FROM_DB[job.format]}) for study "${job.study.name}": ${details.status}`,
        details: { exportId: job.id, studyId: job.study.id, format: FORMAT_FROM_DB[job.format], via: job.requestedVia, filters, ...details },
      });
    });
  };
  try {
    // The requester's rights are checked again now: a role taken away since the request counts.
    const role = job.requestedBy?.role ?? null;
    const requester = role === null ? null : { role };
    if (job.requestedById && !canResearch(requester)) throw forbidden("The requester is no longer a researcher.");
    if (job.requestedById && filters.statuses.some((s) => s !== "PUBLISHED") && !canExportUnpublished(requester)) {
      throw forbidden("Only admins may export unpublished contributions.");
    }
    const result = await writeBundle(
      {
        exportId: job.id,
        requestedAt: job.createdAt,
        study: { id: job.study.id, name: job.study.name, key: job.study.pseudonymKey },
        format: FORMAT_FROM_DB[job.format],
        filters,
        requestedVia: job.requestedVia as "web" | "api" | "cli",
        requesterRole: job.requestedById ? role : "OPERATOR",
      },
      exportDir(),
      async (written, total) => {
        await db.exportJob.update({ where: { id }, data: { rowsWritten: written, rowsTotal: total, heartbeatAt: new Date() }, select: { id: true } });
      },
    );
    const finished = new Date();
    await db.exportJob.update({
      where: { id },
      data: {
        status: "SUCCEEDED",
        rowsWritten: result.rowsWritten,
        rowsTotal: result.rowsTotal,
        optedOutExcluded: result.manifest.counts.optedOutExcluded,
        fileName: path.basename(result.zipPath),
        byteSize: BigInt(result.bytes),
        sha256: result.sha256,
        manifest: JSON.parse(JSON.stringify(result.manifest)),
        finishedAt: finished,
        expiresAt: new Date(finished.getTime() + retentionMs()),
        error: null,
      },
      select: { id: true },
    });
    await log({ status: "SUCCEEDED", counts: result.manifest.counts, sha256: result.sha256, bytes: result.bytes });
  } catch (err) {
    const message =
      err instanceof AppError ? err.message : "The export failed on the server; nothing was kept. Try again, or ask an operator to check the server log.";
    if (!(err instanceof AppError)) console.error(`[export ${id}] failed`, err);
    await db.exportJob.update({ where: { id }, data: { status: "FAILED", error: message, finishedAt: new Date() }, select: { id: true } });
    await log({ status: "FAILED", error: message });
  }
}

/**
 * Runs an export now, in this process: a QUEUED one (claimed first), or one created with
 * `runHere` (the CLI). Returns the finished job.
 */
export async function runExport(id: string, opts: { alreadyClaimed?: boolean } = {}): Promise<ExportDto> {
  const claimed = opts.alreadyClaimed ? id : await claim(id);
  if (!claimed) throw new AppError("conflict", "That export is not waiting to run.");
  await run(claimed);
  const db = await getDb();
  return toDto(await db.exportJob.findUniqueOrThrow({ where: { id }, select: jobSelect }));
}

/** Runs queued (and abandoned) jobs until there are none. Returns how many ran. */
export async function drainExportQueue(): Promise<number> {
  let n = 0;
  for (let id = await claim(); id; id = await claim()) {
    await run(id);
    n++;
  }
  return n;
}

const g = globalThis as typeof globalThis & { __exportWorker?: { running: boolean; again: boolean } };

/** Starts the in-process worker if it is idle (fire and forget; errors are logged). */
export function kickExportWorker(): void {
  const w = (g.__exportWorker ??= { running: false, again: false });
  if (w.running) {
    w.again = true;
    return;
  }
  w.running = true;
  void (async () => {
    try {
      do {
        w.again = false;
        await expireExports();
        await drainExportQueue();
      } while (w.again);
    } catch (err) {
      console.error("[export worker] stopped on an error", err);
    } finally {
      w.running = false;
    }
  })();
}
