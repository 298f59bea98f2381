import { stat } from "node:fs/promises";
import path from "node:path";
import { canExportUnpublished, canResearch, canSeeAllResearch, canViewExport } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { afterCursor, keysetPage } from "@/lib/http/cursor";
import { AppError, fieldError, forbidden, notFound } from "@/lib/http/errors";
import type { Manifest } from "./bundle";
import { exportDir } from "./config";
import { effectiveStatus, FORMAT_TO_DB, jobSelect, toDto, type ExportDto } from "./export-job";
import { sweepExpiredSometimes } from "./export-retention";
import { exportFiltersSchema, type CreateExportInput } from "./schemas";
import { studyForExport } from "./studies";

/**
 * Export requests: created (web, API or CLI), read and downloaded by whoever may see them. The
 * job record is export-job.ts, the worker that runs jobs export-worker.ts, and how long bundles
 * are kept export-retention.ts.
 */

export type { ExportDto } from "./export-job";
export { drainExportQueue, kickExportWorker, runExport } from "./export-worker";
export { expireExports } from "./export-retention";

export const MAX_ACTIVE_PER_USER = 3;

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
  if (!job || !canViewExport(user, job)) throw notFound("Export");
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
      ...(canSeeAllResearch(user) ? {} : { requestedById: user.id }),
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

