"use client";

import { diffWordsWithSpace } from "diff";
import { useEffect, useRef, useState } from "react";
import type { RevisionDto, RevisionPage } from "@/lib/annotations/list-revisions";
import { getJson } from "../api";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A revision as text to compare: the body as written, then its source fields, one per line. */
function asText(r: RevisionDto): string {
  const s = r.source;
  if (!s) return r.body;
  const lines = [`Source: ${s.url}`, s.title && `Title: ${s.title}`, `Stance: ${s.stance.toLowerCase()}`, s.doi && `DOI: ${s.doi}`, s.archiveUrl && `Archived copy: ${s.archiveUrl}`, s.quote && `Quoted: ${s.quote}`];
  return `${r.body}\n\n${lines.filter(Boolean).join("\n")}`;
}

/** Word-level changes from one text to the next: removed struck through, added underlined, both named for screen readers. */
export function Changes({ before, after }: { before: string; after: string }) {
  return (
    <p className="whitespace-pre-wrap break-words text-sm text-stone-900">
      {diffWordsWithSpace(before, after).map((part, i) =>
        part.added ? (
          <ins key={i} className="bg-emerald-100 text-emerald-950 no-underline decoration-emerald-700 [text-decoration-line:underline]">
            <span className="sr-only">[added: </span>
            {part.value}
            <span className="sr-only">]</span>
          </ins>
        ) : part.removed ? (
          <del key={i} className="bg-rose-100 text-rose-950">
            <span className="sr-only">[removed: </span>
            {part.value}
            <span className="sr-only">]</span>
          </del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </p>
  );
}

/**
 * A contribution's earlier versions: as posted, then each edit with what changed against the one
 * before (the text as its author wrote it, markdown unrendered). Loaded when opened, 20 at a time.
 */
export function EditHistory({ contributionId, onClose }: { contributionId: string; onClose: () => void }) {
  const [items, setItems] = useState<RevisionDto[]>([]);
  const [after, setAfter] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  async function load(from: number | null) {
    setLoading(true);
    const res = await getJson<RevisionPage>(`/api/contributions/${contributionId}/revisions${from === null ? "" : `?after=${from}`}`);
    setLoading(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setItems((prev) => (from === null ? res.data.items : [...prev, ...res.data.items]));
    setAfter(res.data.nextAfter);
  }

  useEffect(() => {
    void load(null);
    headingRef.current?.focus();
    // Once, when opened.
  }, []);

  return (
    <section
      aria-labelledby={`history-${contributionId}`}
      className="mt-2 rounded border border-stone-300 bg-stone-50 p-2"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
      data-edit-history
    >
      <h4 id={`history-${contributionId}`} ref={headingRef} tabIndex={-1} className="text-xs font-semibold uppercase tracking-wide text-stone-800 outline-none">
        Edit history
      </h4>
      {error && <p className="mt-1 text-sm text-red-800">{error}</p>}
      <ol className="mt-1 space-y-2">
        {items.map((r, i) => (
          <li key={r.version} data-revision={r.version}>
            <p className="text-xs text-stone-700">
              {i === 0 && items[0]!.version === 1 ? "As posted" : "Edited"}, <time dateTime={r.createdAt}>{dateFormat.format(new Date(r.createdAt))} UTC</time>
            </p>
            {i === 0 ? (
              <p className="whitespace-pre-wrap break-words text-sm text-stone-900">{asText(r)}</p>
            ) : (
              <Changes before={asText(items[i - 1]!)} after={asText(r)} />
            )}
          </li>
        ))}
      </ol>
      {loading && <p className="mt-1 text-sm text-stone-600">Loading…</p>}
      <div className="mt-2 flex gap-3 text-sm">
        {after !== null && !loading && (
          <button type="button" onClick={() => void load(after)} className="underline focus:outline-none focus:ring-2 focus:ring-amber-500">
            Show later versions
          </button>
        )}
        <button type="button" onClick={onClose} className="underline focus:outline-none focus:ring-2 focus:ring-amber-500">
          Hide edit history
        </button>
      </div>
    </section>
  );
}
