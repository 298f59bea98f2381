import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { canExportUnpublished, canResearch } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { ExportFormat, ExportStatus } from "@/lib/generated/prisma/enums";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { AppError, fieldError, forbidden, notFound } from "@/lib/http/errors";
import { appendLog } from "@/lib/moderation/audit-log";
import { writeBundle, type Manifest } from "./bundle";
import { exportDir, retentionMs } from "./config";
import { exportFiltersSchema, type CreateExportInput, type ExportFilters, type ExportFormatName } from "./schemas";
import { studyForExport } from "./studies";

/**
 * Export jobs: created by a request (web, API or CLI), run by a worker in the app process
 * (one at a time per process; several processes share the queue through the database),
 * with progress written as rows go out, and bundles kept for EXPORT_RETENTION_HOURS.
 * A job whose process died is picked up again once its heartbeat is two minutes old.
 */

export const MAX_ACTIVE_PER_USER = 3;
const STALE_AFTER_MS = 120_000;

const FORMAT_TO_DB: Record<ExportFormatName, ExportFormat> = { csv: "CSV", jsonl: "JSONL", jsonld: "JSONLD" };
const FORMAT_FROM_DB: Record<ExportFormat, ExportFormatName> = { CSV: "csv", JSONL: "jsonl", JSONLD: "jsonld" };

export interface ExportDto {
  id: string;
  status: ExportStatus;
  format: ExportFormatName;
  study: { id: string; name: string };
  filters: ExportFilters;
  requestedVia: string;
  progress: { rowsWritten: number; rowsTotal: number | null; percent: number | null };
  optedOutExcluded: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  bundle: { sha256: string; bytes: number; url: string } | null;
  error: string | null;
}

const jobSelect = {
  id: true,
  status: true,
  format: true,
  filters: true,
  requestedVia: true,
  rowsWritten: true,
  rowsTotal: true,
  optedOutExcluded: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  expiresAt: true,
  sha256: true,
  byteSize: true,
  error: true,
  requestedById: true,
  study: { select: { id: true, name: true } },
} as const;

type JobRow = {
  id: string;
  status: ExportStatus;
  format: ExportFormat;
  filters: unknown;
  requestedVia: string;
  rowsWritten: number;
  rowsTotal: number | null;
  optedOutExcluded: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
  sha256: string | null;
  byteSize: bigint | null;
  error: string | null;
  requestedById: string | null;
  study: { id: string; name: string };
};

/** A finished job past its retention reads as EXPIRED at once, even before the sweep deletes its file. */
function effectiveStatus(j: { status: ExportStatus; expiresAt: Date | null }, now = new Date()): ExportStatus {
  return j.status === "SUCCEEDED" && j.expiresAt !== null && j.expiresAt <= now ? "EXPIRED" : j.status;
}

function toDto(j: JobRow): ExportDto {
  const total = j.rowsTotal;
  const status = effectiveStatus(j);
  return {
    id: j.id,
    status,
    format: FORMAT_FROM_DB[j.format],
    study: j.study,
    filters: j.filters as ExportFilters,
    requestedVia: j.requestedVia,
    progress: {
      rowsWritten: j.rowsWritten,
      rowsTotal: total,
      percent: total === null ? null : total === 0 ? 100 : Math.min(100, Math.floor((j.rowsWritten / total) * 100)),
    },
    optedOutExcluded: j.optedOutExcluded,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
    expiresAt: j.expiresAt?.toISOString() ?? null,
    bundle:
      status === "SUCCEEDED" && j.sha256 && j.byteSize !== null
        ? { sha256: j.sha256, bytes: Number(j.byteSize), url: `/api/v1/exports/${j.id}/download` }
        : null,
    error: j.error,
  };
}

/**
 * Creates a QUEUED export (the caller starts the worker). `user` null = an operator on the CLI,
 * who may export anything. Researchers export published contributions only; admins may ask
 * for other statuses.
 */
export async function createExport(
  user: CurrentUser | null,
  input: CreateExportInput,
  via: "web" | "api" | "cli",
  opts: { runHere?: boolean } = {},
): Promise<ExportDto> {
  if (user && !canResearch(user)) throw forbidden("Researchers only.");
  const filters = exportFiltersSchema.parse(input.filters);
  if (user && !canExportUnpublished(user) && filters.statuses.some((s) => s !== "PUBLISHED")) {
    throw forbidden("Only admins may export contributions readers could not see (pending, hidden or rejected).");
  }
  const study = await studyForExport(user, input.studyId);
  const db = await getDb();
  if (filters.articles.length) {
    const found = await db.article.findMany({ where: { slug: { in: filters.articles } }, select: { slug: true } });
    const missing = filters.articles.filter((s) => !found.some((a) => a.slug === s));
    if (missing.length) {
      throw fieldError("filters.articles", `unknown article ${missing.join(", ")}`);
    }
  }
  if (user) {
    const active = await db.exportJob.count({ where: { requestedById: user.id, status: { in: ["QUEUED", "RUNNING"] } } });
    if (active >= MAX_ACTIVE_PER_USER) {
      throw new AppError("rate_limited", `You already have ${active} exports in progress. Wait for one to finish.`, { retryAfterSeconds: 30 });
    }
  }
  const job = await db.exportJob.create({
    data: {
      studyId: study.id,
      requestedById: user?.id ?? null,
      requestedVia: via,
      format: FORMAT_TO_DB[input.format],
      filters,
      // Created already claimed (the CLI runs it itself): no app worker can take it first.
      ...(opts.runHere ? { status: "RUNNING" as const, startedAt: new Date(), heartbeatAt: new Date() } : {}),
    },
    select: jobSelect,
  });
  return toDto(job);
}

/** Only the requester (or an admin) sees a job; anyone else gets 404. */
async function visibleJob(user: CurrentUser, id: string) {
  if (!canResearch(user)) throw forbidden("Researchers only.");
  const db = await getDb();
  const job = await db.exportJob.findUnique({ where: { id }, select: { ...jobSelect, fileName: true, manifest: true } });
  if (!job || (user.role !== "ADMIN" && job.requestedById !== user.id)) throw notFound("Export");
  return job;
}

export async function getExport(user: CurrentUser, id: string): Promise<ExportDto> {
  await sweepExpiredSometimes();
  return toDto(await visibleJob(user, id));
}

export async function getManifest(user: CurrentUser, id: string): Promise<Manifest> {
  const job = await visibleJob(user, id);
  if (!job.manifest) throw new AppError("conflict", "The export has no manifest yet: it is not finished.");
  return job.manifest as unknown as Manifest;
}

/** The caller's exports (an admin's: everyone's), newest first, keyset-paged. */
export async function listExports(
  user: CurrentUser,
  q: { cursor?: string; limit: number },
): Promise<{ items: ExportDto[]; nextCursor: string | null }> {
  if (!canResearch(user)) throw forbidden("Researchers only.");
  await sweepExpiredSometimes();
  const db = await getDb();
  const after = afterCursor(q.cursor, "createdAt");
  const rows = await db.exportJob.findMany({
    where: {
      ...(user.role === "ADMIN" ? {} : { requestedById: user.id }),
      ...(after ? { AND: [after] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: jobSelect,
  });
  const { page, nextCursor } = keysetPage(rows, q.limit, (r) => [r.createdAt, r.id]);
  return { items: page.map(toDto), nextCursor };
}

/** Where a finished bundle is, for the download route: 409 while not ready, 410 once expired. */
export async function bundleForDownload(user: CurrentUser, id: string): Promise<{ path: string; sha256: string; bytes: number; name: string }> {
  const job = await visibleJob(user, id);
  if (effectiveStatus(job) === "EXPIRED") throw new AppError("gone", "This export has expired and its bundle was deleted. Create it again.");
  if (job.status !== "SUCCEEDED" || !job.fileName || !job.sha256 || job.byteSize === null) {
    throw new AppError("conflict", job.status === "FAILED" ? "This export failed; there is nothing to download." : "This export is not finished yet.");
  }
  const file = path.join(exportDir(), job.fileName);
  const found = await stat(file).catch(() => null);
  if (!found) throw new AppError("gone", "The bundle is no longer on the server. Create the export again.");
  return { path: file, sha256: job.sha256, bytes: Number(job.byteSize), name: `research-export-${job.id}.zip` };
}

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
async function sweepExpiredSometimes(): Promise<void> {
  const now = Date.now();
  if (sweep.__exportSweepAt !== undefined && now - sweep.__exportSweepAt < 60_000) return;
  sweep.__exportSweepAt = now;
  await expireExports();
}

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
    if (job.requestedById && !canResearch({ role: role ?? "" })) throw forbidden("The requester is no longer a researcher.");
    if (job.requestedById && filters.statuses.some((s) => s !== "PUBLISHED") && role !== "ADMIN") {
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
