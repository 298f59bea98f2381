"use client";

import { useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import type { ExportDto } from "@/lib/research/jobs";
import type { StudyDto } from "@/lib/research/studies";

const KINDS = [
  ["ANNOTATION", "Annotations"],
  ["COUNTERPOINT", "Counterpoints"],
  ["SOURCE", "Source links"],
] as const;

const STATUSES = [
  ["PUBLISHED", "Published"],
  ["PENDING", "Pending review"],
  ["HIDDEN", "Hidden"],
  ["REJECTED", "Rejected"],
] as const;

const FORMATS = [
  ["csv", "CSV", "One file per table (RFC 4180, UTF-8). Opens in spreadsheets and R/pandas."],
  ["jsonl", "JSON Lines", "One JSON object per line, one file per table."],
  ["jsonld", "W3C Web Annotation (JSON-LD)", "Contributions as an AnnotationCollection in pages of 1,000; other tables as JSON Lines."],
] as const;

const box = "h-4 w-4 accent-stone-900";
const legend = "text-sm font-semibold text-stone-900";

function toggle<T>(list: T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

/** The export's filters and format. Researchers see published contributions only; admins may add the rest. */
export function ExportForm({
  mayExportUnpublished,
  studies,
  articles,
  onCreated,
}: {
  mayExportUnpublished: boolean;
  studies: StudyDto[];
  articles: { slug: string; title: string }[];
  onCreated: (e: ExportDto) => void;
}) {
  const [studyId, setStudyId] = useState(studies[0]?.id ?? "");
  const [chosenArticles, setChosenArticles] = useState<string[]>([]);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [kinds, setKinds] = useState<string[]>(KINDS.map(([k]) => k));
  const [statuses, setStatuses] = useState<string[]>(["PUBLISHED"]);
  const [includeModeration, setIncludeModeration] = useState(false);
  const [spreadsheetSafe, setSpreadsheetSafe] = useState(false);
  const [format, setFormat] = useState<string>("csv");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  // A study created after the page loaded becomes choosable (and chosen if none was).
  const effectiveStudy = studies.some((s) => s.id === studyId) ? studyId : (studies[0]?.id ?? "");

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFieldErrors({});
    if (!effectiveStudy) {
      setError("Create a study first: its key makes the pseudonyms.");
      return;
    }
    setBusy(true);
    const res = await send<{ export: ExportDto }>("/api/v1/exports", "POST", {
      studyId: effectiveStudy,
      format,
      filters: {
        articles: chosenArticles,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        kinds,
        statuses,
        includeModeration,
        // The guard is a CSV matter: the API refuses it for the other formats.
        ...(format === "csv" ? { spreadsheetSafe } : {}),
      },
    });
    setBusy(false);
    if (!res.ok) {
      setFieldErrors(res.error.fields);
      setError(res.error.message);
      return;
    }
    onCreated(res.data.export);
  }

  const fieldError = (key: string) =>
    fieldErrors[key] ? (
      <p id={`err-${key.replaceAll(".", "-")}`} className="mt-1 text-sm font-medium text-red-800">
        {fieldErrors[key]}
      </p>
    ) : null;

  return (
    <form onSubmit={(e) => void submit(e)} className="mt-4 space-y-5" noValidate aria-describedby={error ? "export-error" : undefined}>
      <div>
        <label htmlFor="export-study" className={legend}>
          Study
        </label>
        <select
          id="export-study"
          value={effectiveStudy}
          onChange={(e) => setStudyId(e.target.value)}
          className="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1.5 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          {studies.length === 0 && <option value="">No study yet — create one</option>}
          {studies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>

      <fieldset>
        <legend className={legend}>Articles</legend>
        <p id="articles-hint" className="text-xs text-stone-700">
          Leave all unticked to export every article.
        </p>
        <div className="mt-1 space-y-1" aria-describedby="articles-hint">
          {articles.map((a) => (
            <label key={a.slug} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className={`${box} mt-0.5`}
                checked={chosenArticles.includes(a.slug)}
                onChange={(e) => setChosenArticles((l) => toggle(l, a.slug, e.target.checked))}
              />
              <span>{a.title}</span>
            </label>
          ))}
        </div>
        {fieldError("filters.articles")}
      </fieldset>

      <fieldset>
        <legend className={legend}>Created between (UTC days, inclusive)</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          <label className="text-sm">
            From
            <input
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              className="ml-2 rounded border border-stone-400 px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500"
            />
          </label>
          <label className="text-sm">
            To
            <input
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={fieldErrors["filters.to"] ? true : undefined}
              aria-describedby={fieldErrors["filters.to"] ? "err-filters-to" : undefined}
              className="ml-2 rounded border border-stone-400 px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500"
            />
          </label>
        </div>
        {fieldError("filters.to")}
        {fieldError("filters.from")}
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-2">
        <fieldset>
          <legend className={legend}>Kinds</legend>
          <div className="mt-1 space-y-1">
            {KINDS.map(([k, label]) => (
              <label key={k} className="flex items-center gap-2 text-sm">
                <input type="checkbox" className={box} checked={kinds.includes(k)} onChange={(e) => setKinds((l) => toggle(l, k, e.target.checked))} />
                {label}
              </label>
            ))}
          </div>
          {fieldError("filters.kinds")}
        </fieldset>
        <fieldset>
          <legend className={legend}>Statuses</legend>
          {!mayExportUnpublished && (
            <p id="statuses-hint" className="text-xs text-stone-700">
              Only admins may export what readers could not see.
            </p>
          )}
          <div className="mt-1 space-y-1">
            {STATUSES.map(([s, label]) => {
              const locked = !mayExportUnpublished && s !== "PUBLISHED";
              return (
                <label key={s} className={`flex items-center gap-2 text-sm ${locked ? "text-stone-600" : ""}`}>
                  <input
                    type="checkbox"
                    className={box}
                    checked={statuses.includes(s)}
                    disabled={locked}
                    aria-describedby={locked ? "statuses-hint" : undefined}
                    onChange={(e) => setStatuses((l) => toggle(l, s, e.target.checked))}
                  />
                  {label}
                  {s !== "PUBLISHED" && mayExportUnpublished && <span className="text-xs text-stone-700">(marked in the data)</span>}
                </label>
              );
            })}
          </div>
          {fieldError("filters.statuses")}
        </fieldset>
      </div>

      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className={`${box} mt-0.5`} checked={includeModeration} onChange={(e) => setIncludeModeration(e.target.checked)} />
        <span>
          <span className="font-semibold">Include moderation events and reports</span>
          <span className="block text-xs text-stone-700">Decisions, automatic hides, appeals and readers’ reports on these contributions (private notes are never exported).</span>
        </span>
      </label>

      <fieldset>
        <legend className={legend}>Format</legend>
        <div className="mt-1 space-y-2">
          {FORMATS.map(([value, label, hint]) => (
            <label key={value} className="flex items-start gap-2 text-sm">
              <input type="radio" name="format" value={value} className={`${box} mt-0.5`} checked={format === value} onChange={() => setFormat(value)} />
              <span>
                <span className="font-medium">{label}</span>
                <span className="block text-xs text-stone-700">{hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {format === "csv" && (
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className={`${box} mt-0.5`}
            checked={spreadsheetSafe}
            aria-describedby="spreadsheet-safe-hint"
            onChange={(e) => setSpreadsheetSafe(e.target.checked)}
          />
          <span>
            <span className="font-semibold">Spreadsheet-safe CSV</span>
            <span id="spreadsheet-safe-hint" className="block text-xs text-stone-700">
              Puts a &apos; before text starting with = + - or @ (reversibly: the data dictionary says how), so spreadsheets do not run it as a
              formula. Leave off to get every text exactly as written.
            </span>
          </span>
        </label>
      )}

      {error && (
        <p id="export-error" role="alert" className="text-sm font-medium text-red-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="rounded bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:bg-stone-500"
      >
        {busy ? "Starting…" : "Start export"}
      </button>
    </form>
  );
}
