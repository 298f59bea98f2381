import type { ExportDto } from "@/lib/research/jobs";
import { formatUtc } from "@/app/_components/labels";

const STATUS_TEXT: Record<string, string> = {
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Ready",
  FAILED: "Failed",
  EXPIRED: "Expired",
};

const FORMAT_TEXT: Record<string, string> = { csv: "CSV", jsonl: "JSON Lines", jsonld: "JSON-LD" };

const n = (x: number) => x.toLocaleString("en");

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function filtersText(e: ExportDto): string {
  const f = e.filters;
  const parts = [
    f.articles.length ? `${f.articles.length} article${f.articles.length === 1 ? "" : "s"}` : "all articles",
    f.from || f.to ? `${f.from ?? "…"} to ${f.to ?? "…"}` : null,
    f.kinds.length < 3 ? f.kinds.map((k) => k.toLowerCase()).join(", ") : null,
    f.statuses.join(", ").toLowerCase(),
    f.includeModeration ? "with moderation" : null,
    f.spreadsheetSafe ? "spreadsheet-safe" : null,
  ];
  return parts.filter(Boolean).join(" · ");
}

/** The exports with their progress; a finished one links to its bundle and shows its sha256. */
export function ExportList({ exports }: { exports: ExportDto[] }) {
  if (exports.length === 0) return <p className="mt-3 text-sm text-stone-700">No exports yet.</p>;
  return (
    <ul className="mt-3 space-y-3" aria-label="Exports, newest first">
      {exports.map((e) => {
        const total = e.progress.rowsTotal;
        return (
          <li key={e.id} data-export-id={e.id} data-status={e.status} className="rounded-lg border border-stone-300 bg-white p-4 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p>
                <span className="font-semibold">{e.study.name}</span> · {FORMAT_TEXT[e.format] ?? e.format} ·{" "}
                <time dateTime={e.createdAt}>{formatUtc(e.createdAt)}</time>
              </p>
              <p className="font-medium" data-testid="export-status">
                {STATUS_TEXT[e.status] ?? e.status}
              </p>
            </div>
            <p className="mt-1 text-xs text-stone-700">{filtersText(e)}</p>
            {(e.status === "QUEUED" || e.status === "RUNNING") && (
              <div className="mt-2">
                <progress
                  className="h-2 w-full"
                  max={total ?? undefined}
                  value={total === null ? undefined : e.progress.rowsWritten}
                  aria-label={`Progress of the export for ${e.study.name}`}
                />
                <p className="mt-1 text-xs text-stone-800" data-testid="export-progress">
                  {total === null ? "Waiting to start…" : `${n(e.progress.rowsWritten)} of ${n(total)} rows written (${e.progress.percent ?? 0}%)`}
                </p>
              </div>
            )}
            {e.status === "FAILED" && <p className="mt-2 font-medium text-red-800">{e.error}</p>}
            {e.status === "EXPIRED" && <p className="mt-2 text-stone-700">The bundle was deleted when it expired. Start the export again to get a new one.</p>}
            {e.status === "SUCCEEDED" && e.bundle && (
              <div className="mt-2 space-y-1">
                <p>
                  <a href={e.bundle.url} className="font-medium underline" download>
                    Download bundle<span className="sr-only"> for {e.study.name}, {FORMAT_TEXT[e.format]}</span>
                  </a>{" "}
                  <span className="text-stone-700">
                    ({size(e.bundle.bytes)}, {n(e.progress.rowsWritten)} rows
                    {e.optedOutExcluded ? `, ${n(e.optedOutExcluded)} contributions left out by opt-out` : ""})
                  </span>
                </p>
                <p className="break-all text-xs text-stone-700">
                  sha256 <code data-testid="bundle-sha256">{e.bundle.sha256}</code>
                </p>
                {e.expiresAt && (
                  <p className="text-xs text-stone-700">
                    Kept until <time dateTime={e.expiresAt}>{formatUtc(e.expiresAt)}</time>
                  </p>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
