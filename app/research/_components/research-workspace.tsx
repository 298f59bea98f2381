"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { getJson } from "@/app/_components/api";
import type { ExportDto } from "@/lib/research/jobs";
import type { StudyDto } from "@/lib/research/studies";
import { ExportForm } from "./export-form";
import { ExportList } from "./export-list";
import { StudyForm } from "./study-form";

const POLL_MS = 1500;

/** Studies, the export form and the list of exports (polled while any is queued or running). */
export function ResearchWorkspace({
  seesAll,
  mayExportUnpublished,
  initialStudies,
  articles,
  initialExports,
}: {
  /** canSeeAllResearch and canExportUnpublished for the viewer (lib/auth/permissions.ts). */
  seesAll: boolean;
  mayExportUnpublished: boolean;
  initialStudies: StudyDto[];
  articles: { slug: string; title: string }[];
  initialExports: ExportDto[];
}) {
  const [studies, setStudies] = useState(initialStudies);
  const [exports, setExports] = useState(initialExports);
  const [announcement, setAnnouncement] = useState("");
  const [pollError, setPollError] = useState<string | null>(null);
  const previous = useRef(new Map(initialExports.map((e) => [e.id, e.status])));

  const active = exports.some((e) => e.status === "QUEUED" || e.status === "RUNNING");

  const refresh = useCallback(async () => {
    const res = await getJson<{ items: ExportDto[] }>("/api/v1/exports?limit=20");
    if (!res.ok) {
      const { status } = res.error;
      setPollError(
        status === 401
          ? "Your session has ended. Sign in again to follow your exports."
          : status === 0
            ? "Could not reach the server; retrying."
            : "Could not refresh the list; retrying.",
      );
      return;
    }
    const data = res.data;
    setPollError(null);
    for (const e of data.items) {
      const before = previous.current.get(e.id);
      if (before && before !== e.status && (e.status === "SUCCEEDED" || e.status === "FAILED")) {
        setAnnouncement(
          e.status === "SUCCEEDED"
            ? `Export for ${e.study.name} is ready to download.`
            : `Export for ${e.study.name} failed: ${e.error ?? "see the list"}.`,
        );
      }
      previous.current.set(e.id, e.status);
    }
    setExports(data.items);
  }, []);

  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(t);
  }, [active, refresh]);

  return (
    <>
      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>
      <div className="mt-8 grid gap-8 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="new-export-heading" className="rounded-lg border border-stone-300 bg-white p-5">
          <h2 id="new-export-heading" className="font-serif text-xl font-semibold">
            New export
          </h2>
          <ExportForm
            mayExportUnpublished={mayExportUnpublished}
            studies={studies}
            articles={articles}
            onCreated={(e) => {
              previous.current.set(e.id, e.status);
              setExports((list) => [e, ...list.filter((x) => x.id !== e.id)]);
              setAnnouncement(`Export queued for ${e.study.name}. Its progress is shown in the list of exports.`);
            }}
          />
        </section>
        <section aria-labelledby="studies-heading" className="rounded-lg border border-stone-300 bg-white p-5">
          <h2 id="studies-heading" className="font-serif text-xl font-semibold">
            Studies
          </h2>
          <p className="mt-1 text-sm text-stone-700">
            A study’s key makes its pseudonyms: the same study always gives a person the same pseudonym; different studies
            cannot be linked.
          </p>
          {studies.length > 0 ? (
            <ul className="mt-3 space-y-2 text-sm" aria-label="Your studies">
              {studies.map((s) => (
                <li key={s.id} className="rounded border border-stone-200 px-3 py-2">
                  <span className="font-medium">{s.name}</span>
                  <span className="block text-xs text-stone-700">
                    {s.exports} export{s.exports === 1 ? "" : "s"} · key <code title={s.keyFingerprint}>{s.keyFingerprint.slice(0, 19)}…</code>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-stone-700">No studies yet. Create one to start exporting.</p>
          )}
          <StudyForm
            onCreated={(s) => {
              setStudies((list) => [s, ...list]);
              setAnnouncement(`Study ${s.name} created.`);
            }}
          />
        </section>
      </div>
      <section aria-labelledby="exports-heading" className="mt-10">
        <h2 id="exports-heading" className="font-serif text-xl font-semibold">
          {seesAll ? "Exports (every researcher’s)" : "Your exports"}
        </h2>
        {pollError && (
          <p role="alert" className="mt-2 text-sm font-medium text-red-800">
            {pollError}
          </p>
        )}
        <ExportList exports={exports} />
      </section>
    </>
  );
}
