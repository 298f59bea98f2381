"use client";

import { useId, useRef, useState } from "react";
import type { ContributionDto } from "@/lib/annotations/dto";
import { findQuote } from "@/lib/annotations/find-quote";
import { canModerate } from "@/lib/auth/permissions";
import type { OrphanDto } from "@/lib/annotations/list-orphans";
import { send } from "../api";
import type { Viewer } from "../use-viewer";
import { KIND_LABEL } from "./labels";
import type { ParagraphProps } from "./article-discussion";
import { ThreadNode } from "./thread-node";

/**
 * One contribution in "On earlier versions of this article" (./earlier-versions.tsx): the passage
 * it was written on, its thread, and for moderators a way to re-attach it. Fetched when the
 * section is first opened, not with the page (docs/decisions/0047).
 */

export function Orphan(props: {
  orphan: OrphanDto | ContributionDto;
  path?: ContributionDto[];
  focus?: boolean;
  paragraphs: ParagraphProps[];
  viewer: Viewer | null;
  onChanged: (announcement: string) => void;
  onRemoved: (id: string) => void;
  onUpdated: (c: ContributionDto) => void;
}) {
  const o = props.orphan;
  const written = "writtenOn" in o ? o.writtenOn : null;
  return (
    <li className="rounded border border-stone-300 bg-stone-50 p-3" data-orphan={o.id}>
      {written && (
        <figure className="mb-3 text-sm">
          <figcaption className="font-sans text-xs font-medium uppercase tracking-wide text-stone-600">
            Written on version {written.version}; no longer in the article since version {o.anchoring.sinceVersion}
          </figcaption>
          <blockquote className="mt-1 border-l-4 border-stone-300 pl-3 font-serif text-stone-800">
            <WithQuote text={written.paragraph} start={o.original?.start ?? o.selector.start} end={o.original?.end ?? o.selector.end} />
          </blockquote>
        </figure>
      )}
      <ul>
      <ThreadNode
        contribution={o}
        path={props.path}
        focusOnMount={props.focus}
        signedIn={props.viewer !== null}
        paragraphText={written?.paragraph ?? ""}
        onShowSpan={() => undefined}
        onChanged={props.onChanged}
        onUpdated={(u) => {
          props.onUpdated(u);
          props.onChanged(`${KIND_LABEL[u.kind].short} updated.`);
        }}
        onDeleted={(d) => {
          props.onRemoved(d.id);
          props.onChanged(`${KIND_LABEL[d.kind].short} deleted.`);
        }}
      />
      </ul>
      {canModerate(props.viewer) && !o.placeholder && (
        <Reattach orphan={o} paragraphs={props.paragraphs} onDone={(n) => { props.onRemoved(o.id); props.onChanged(`Re-attached to paragraph ${n}.`); }} />
      )}
    </li>
  );
}

/** The paragraph as it read, with the quoted words marked (offsets on that text). */
function WithQuote({ text, start, end }: { text: string; start: number; end: number }) {
  if (!(start >= 0 && end > start && end <= text.length)) return <>{text}</>;
  return (
    <>
      {text.slice(0, start)}
      <mark className="bg-amber-100 text-stone-900">
        <span className="sr-only">Quoted: </span>
        {text.slice(start, end)}
      </mark>
      {text.slice(end)}
    </>
  );
}

/** Moderators: put the orphan back on words of a current paragraph (logged; POST /api/admin/contributions/:id/reattach). */
function Reattach({ orphan, paragraphs, onDone }: { orphan: ContributionDto; paragraphs: ParagraphProps[]; onDone: (paragraph: number) => void }) {
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [index, setIndex] = useState(0);
  const [words, setWords] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const wordsRef = useRef<HTMLInputElement>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const p = paragraphs[index];
    if (!p) return;
    const found = words.trim() ? findQuote(p.text, words) : { start: 0, end: p.text.length, exact: p.text };
    if (!found) {
      setError("Those words are not in that paragraph. Copy them from it, punctuation included.");
      wordsRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const res = await send<{ contribution: ContributionDto }>(`/api/admin/contributions/${orphan.id}/reattach`, "POST", {
      anchorId: p.anchorId,
      selector: found,
      version: orphan.version,
      reason: reason.trim() || undefined,
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    onDone(index + 1);
  }

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mt-3 rounded border border-stone-400 bg-white px-2 py-1 text-xs font-medium text-stone-900 hover:border-stone-600 focus:outline-none focus:ring-2 focus:ring-amber-500"
      >
        Re-attach to the current text…
      </button>
    );
  }
  return (
    <form onSubmit={submit} className="mt-3 space-y-2 rounded border border-stone-300 bg-white p-2 text-sm" aria-label="Re-attach to the current text">
      <div>
        <label htmlFor={`${uid}-p`} className="block text-xs font-medium text-stone-800">
          Paragraph of the current version
        </label>
        <select
          id={`${uid}-p`}
          value={index}
          onChange={(e) => setIndex(Number(e.target.value))}
          className="mt-1 w-full rounded border border-stone-400 px-2 py-1"
        >
          {paragraphs.map((p, i) => (
            <option key={p.anchorId} value={i}>
              {i + 1}. {p.text.slice(0, 80)}
              {p.text.length > 80 ? "…" : ""}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${uid}-w`} className="block text-xs font-medium text-stone-800">
          Words of that paragraph the claim is on (empty: the whole paragraph)
        </label>
        <input
          id={`${uid}-w`}
          ref={wordsRef}
          value={words}
          onChange={(e) => setWords(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${uid}-e` : undefined}
          className="mt-1 w-full rounded border border-stone-400 px-2 py-1"
        />
      </div>
      <div>
        <label htmlFor={`${uid}-r`} className="block text-xs font-medium text-stone-800">
          Reason for the log (optional)
        </label>
        <input id={`${uid}-r`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} className="mt-1 w-full rounded border border-stone-400 px-2 py-1" />
      </div>
      {error && (
        <p id={`${uid}-e`} role="alert" className="text-xs text-rose-800">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={busy} className="rounded bg-stone-900 px-3 py-1 text-xs font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60">
          Re-attach
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded border border-stone-400 px-3 py-1 text-xs font-medium text-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500">
          Cancel
        </button>
      </div>
    </form>
  );
}
