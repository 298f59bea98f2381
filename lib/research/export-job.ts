import type { ExportFormat, ExportStatus } from "@/lib/generated/prisma/enums";
import type { ExportFilters, ExportFormatName } from "./schemas";

/** An export job as the database keeps it and as the API shows it (jobs.ts, export-worker.ts). */

export const FORMAT_TO_DB: Record<ExportFormatName, ExportFormat> = { csv: "CSV", jsonl: "JSONL", jsonld: "JSONLD" };
export const FORMAT_FROM_DB: Record<ExportFormat, ExportFormatName> = { CSV: "csv", JSONL: "jsonl", JSONLD: "jsonld" };

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

export const jobSelect = {
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

export type JobRow = {
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
export function effectiveStatus(j: { status: ExportStatus; expiresAt: Date | null }, now = new Date()): ExportStatus {
  return j.status === "SUCCEEDED" && j.expiresAt !== null && j.expiresAt <= now ? "EXPIRED" : j.status;
}

export function toDto(j: JobRow): ExportDto {
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
