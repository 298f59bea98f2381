"use client";

import { useEffect, useState, type RefObject } from "react";
import { KINDS, MAX_BODY, MAX_DOI, MAX_SOURCE_QUOTE, MAX_SOURCE_TITLE, STANCES, type Kind, type Stance } from "@/lib/annotations/limits";
import type { SourceDto } from "@/lib/annotations/dto";
import { KIND_LABEL } from "./labels";

/** What a reader is writing: a new contribution on a claim, or a reply. */
export interface Draft {
  kind: Kind;
  body: string;
  url: string;
  title: string;
  stance: Stance;
  doi: string;
  archiveUrl: string;
  quote: string;
}

export const EMPTY_DRAFT: Draft = { kind: "ANNOTATION", body: "", url: "", title: "", stance: "SUPPORTS", doi: "", archiveUrl: "", quote: "" };

/** A draft holding a published contribution's text, for editing it. */
export function draftOf(c: { kind: Kind; body: string; source: SourceDto | null }): Draft {
  const s = c.source;
  return {
    kind: c.kind,
    body: c.body,
    url: s?.url ?? "",
    title: s?.title ?? "",
    stance: (s?.stance as Stance) ?? "SUPPORTS",
    doi: s?.doi ?? "",
    archiveUrl: s?.archiveUrl ?? "",
    quote: s?.quote ?? "",
  };
}

/** The request fields of a draft (a source only for a source link; empty optional fields left out). */
export function draftPayload(d: Draft) {
  const opt = (v: string) => (v.trim() ? v : undefined);
  return {
    kind: d.kind,
    body: d.body,
    source:
      d.kind === "SOURCE"
        ? { url: d.url, title: opt(d.title), stance: d.stance, doi: opt(d.doi), archiveUrl: opt(d.archiveUrl), quote: opt(d.quote) }
        : undefined,
  };
}

interface Props {
  uid: string;
  draft: Draft;
  onChange: (d: Draft) => void;
  /** Field errors from the server, keyed by path ("body", "source.url"). */
  fields: Record<string, string>;
  legend: string;
  bodyLabel: Record<Kind, string>;
  stanceLabel: Record<Stance, string>;
  firstRef?: RefObject<HTMLInputElement | null>;
  bodyRef?: RefObject<HTMLTextAreaElement | null>;
  /** Editing: the kind cannot change, so it is not offered. */
  fixedKind?: boolean;
}

/** The server's message for one field, under it (its id is what the field's aria-describedby names). */
export function FieldErrorText({ uid, field, fields }: { uid: string; field: string; fields: Record<string, string> }) {
  const message = fields[field];
  if (!message) return null;
  return (
    <p id={`${uid}-${field}-err`} className="mt-1 text-sm font-medium text-red-800">
      {message}
    </p>
  );
}

const input = "mt-1 w-full rounded border border-stone-400 px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500";

/** The kind, the source link (for a source) and the body: shared by the claim form and the reply form. */
export function ComposeFields({ uid, draft, onChange, fields, legend, bodyLabel, stanceLabel, firstRef, bodyRef, fixedKind }: Props) {
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const err = (f: string) => fields[f];
  const describe = (f: string, extra?: string) => [extra, err(f) ? `${uid}-${f}-err` : null].filter(Boolean).join(" ") || undefined;
  const errorText = (f: string) => <FieldErrorText uid={uid} field={f} fields={fields} />;

  const extraErrors = ["source.doi", "source.archiveUrl", "source.quote"].some((f) => err(f));
  // Open when there is something in it (editing) and whenever one of its fields has an error;
  // otherwise as the reader leaves it (clearing a field does not snap it shut).
  const [extrasOpen, setExtrasOpen] = useState(Boolean(draft.doi || draft.archiveUrl || draft.quote));
  useEffect(() => {
    if (extraErrors) setExtrasOpen(true);
  }, [extraErrors]);

  return (
    <>
      {!fixedKind && (
        <fieldset>
        <legend className="text-sm font-medium text-stone-900">{legend}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {KINDS.map((k, i) => (
            <label key={k} className="flex items-center gap-1.5 text-sm">
              <input
                ref={i === 0 ? firstRef : undefined}
                type="radio"
                name={`${uid}-kind`}
                value={k}
                checked={draft.kind === k}
                onChange={() => set({ kind: k })}
                className="accent-stone-900"
              />
              {k === "SOURCE" ? "Source link" : KIND_LABEL[k].short}
            </label>
          ))}
        </div>
        </fieldset>
      )}

      {draft.kind === "SOURCE" && (
        <>
          <div>
            <label htmlFor={`${uid}-url`} className="block text-sm font-medium">
              Source URL
            </label>
            <input
              id={`${uid}-url`}
              type="url"
              inputMode="url"
              required
              value={draft.url}
              onChange={(e) => set({ url: e.target.value })}
              placeholder="https://"
              aria-invalid={err("source.url") ? true : undefined}
              aria-describedby={describe("source.url")}
              className={input}
            />
            {errorText("source.url")}
          </div>
          <div>
            <label htmlFor={`${uid}-title`} className="block text-sm font-medium">
              Title <span className="font-normal text-stone-600">(optional)</span>
            </label>
            <input
              id={`${uid}-title`}
              value={draft.title}
              maxLength={MAX_SOURCE_TITLE}
              onChange={(e) => set({ title: e.target.value })}
              aria-describedby={describe("source.title")}
              className={input}
            />
            {errorText("source.title")}
          </div>
          <div>
            <label htmlFor={`${uid}-stance`} className="block text-sm font-medium">
              Stance
            </label>
            <select id={`${uid}-stance`} value={draft.stance} onChange={(e) => set({ stance: e.target.value as Stance })} className={`${input} bg-white`}>
              {STANCES.map((s) => (
                <option key={s} value={s}>
                  {stanceLabel[s]}
                </option>
              ))}
            </select>
          </div>
          <details
            open={extrasOpen}
            onToggle={(e) => setExtrasOpen(e.currentTarget.open)}
            className="rounded border border-stone-300 px-2 py-1"
          >
            <summary className="cursor-pointer text-sm font-medium focus:outline-none focus:ring-2 focus:ring-amber-500">
              DOI, archived copy, quoted passage <span className="font-normal text-stone-600">(optional)</span>
            </summary>
            <div className="space-y-2 pb-1 pt-2">
              <div>
                <label htmlFor={`${uid}-doi`} className="block text-sm font-medium">
                  DOI
                </label>
                <input
                  id={`${uid}-doi`}
                  value={draft.doi}
                  maxLength={MAX_DOI}
                  onChange={(e) => set({ doi: e.target.value })}
                  placeholder="10.1234/abcd"
                  aria-invalid={err("source.doi") ? true : undefined}
                  aria-describedby={describe("source.doi")}
                  className={input}
                />
                {errorText("source.doi")}
              </div>
              <div>
                <label htmlFor={`${uid}-archive`} className="block text-sm font-medium">
                  Archived copy URL
                </label>
                <input
                  id={`${uid}-archive`}
                  type="url"
                  inputMode="url"
                  value={draft.archiveUrl}
                  onChange={(e) => set({ archiveUrl: e.target.value })}
                  placeholder="https://web.archive.org/…"
                  aria-invalid={err("source.archiveUrl") ? true : undefined}
                  aria-describedby={describe("source.archiveUrl")}
                  className={input}
                />
                {errorText("source.archiveUrl")}
              </div>
              <div>
                <label htmlFor={`${uid}-quote`} className="block text-sm font-medium">
                  Passage quoted from the source
                </label>
                <textarea
                  id={`${uid}-quote`}
                  value={draft.quote}
                  rows={2}
                  maxLength={MAX_SOURCE_QUOTE}
                  onChange={(e) => set({ quote: e.target.value })}
                  aria-invalid={err("source.quote") ? true : undefined}
                  aria-describedby={describe("source.quote")}
                  className={input}
                />
                {errorText("source.quote")}
              </div>
            </div>
          </details>
        </>
      )}

      <div>
        <label htmlFor={`${uid}-body`} className="block text-sm font-medium">
          {bodyLabel[draft.kind]}
        </label>
        <textarea
          ref={bodyRef}
          id={`${uid}-body`}
          value={draft.body}
          onChange={(e) => set({ body: e.target.value })}
          rows={4}
          required
          aria-invalid={err("body") ? true : undefined}
          aria-describedby={describe("body", `${uid}-body-hint`)}
          className={input}
        />
        <p id={`${uid}-body-hint`} className={`text-xs ${draft.body.length > MAX_BODY ? "text-red-800" : "text-stone-600"}`}>
          {draft.body.length.toLocaleString("en")}/{MAX_BODY.toLocaleString("en")} characters. **bold**, *italic*, `code`,
          [links](https://…), &gt; quotes and - lists work.
        </p>
        {errorText("body")}
      </div>
    </>
  );
}
