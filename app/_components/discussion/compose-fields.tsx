"use client";

import type { RefObject } from "react";
import { KINDS, MAX_BODY, MAX_SOURCE_TITLE, STANCES, type Kind, type Stance } from "@/lib/annotations/limits";
import { KIND_LABEL } from "./labels";

/** What a reader is writing: a new contribution on a claim, or a reply. */
export interface Draft {
  kind: Kind;
  body: string;
  url: string;
  title: string;
  stance: Stance;
}

export const EMPTY_DRAFT: Draft = { kind: "ANNOTATION", body: "", url: "", title: "", stance: "SUPPORTS" };

/** The request fields of a draft (a source only for a source link). */
export function draftPayload(d: Draft) {
  return {
    kind: d.kind,
    body: d.body,
    source: d.kind === "SOURCE" ? { url: d.url, title: d.title || undefined, stance: d.stance } : undefined,
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
export function ComposeFields({ uid, draft, onChange, fields, legend, bodyLabel, stanceLabel, firstRef, bodyRef }: Props) {
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const err = (f: string) => fields[f];
  const describe = (f: string, extra?: string) => [extra, err(f) ? `${uid}-${f}-err` : null].filter(Boolean).join(" ") || undefined;
  const errorText = (f: string) => <FieldErrorText uid={uid} field={f} fields={fields} />;

  return (
    <>
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
