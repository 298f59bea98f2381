"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { KINDS, MAX_BODY, MAX_SOURCE_TITLE, STANCES, type Kind, type Stance } from "@/lib/annotations/limits";
import type { ContributionDto } from "@/lib/annotations/dto";
import { send } from "../api";
import type { ParagraphProps } from "./article-discussion";
import { KIND_LABEL, shorten, STANCE_LABEL } from "./labels";
import { QuotePicker } from "./quote-picker";
import type { Claim } from "./thread-panel";

const BODY_LABEL: Record<Kind, string> = {
  ANNOTATION: "Your annotation",
  COUNTERPOINT: "Your counterpoint",
  SOURCE: "What this source shows",
};

interface Props {
  slug: string;
  versionId: string;
  paragraph: ParagraphProps;
  claim: Claim;
  autoFocus: boolean;
  onClaimChange: (claim: Claim) => void;
  onPosted: (c: ContributionDto) => void;
}

export function ContributionForm({ slug, versionId, paragraph, claim, autoFocus, onClaimChange, onPosted }: Props) {
  const uid = useId();
  const [kind, setKind] = useState<Kind>("ANNOTATION");
  const [body, setBody] = useState("");
  const [url, setUrl] = useState("");
  const [title, setTitle] = useState("");
  const [stance, setStance] = useState<Stance>("SUPPORTS");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (autoFocus) firstRef.current?.focus();
  }, [autoFocus]);

  const span =
    claim.kind === "span" ? claim : { start: 0, end: paragraph.text.length, exact: paragraph.text };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    setFields({});
    const res = await send<{ contribution: ContributionDto }>(`/api/articles/${slug}/contributions`, "POST", {
      anchorId: paragraph.anchorId,
      versionId,
      kind,
      body,
      selector: { start: span.start, end: span.end, exact: span.exact },
      source: kind === "SOURCE" ? { url, title: title || undefined, stance } : undefined,
    });
    setBusy(false);
    if (!res.ok) {
      const hasFields = Object.keys(res.error.fields).length > 0;
      setMessage(hasFields ? "Please correct the fields marked below. Nothing was posted." : res.error.message);
      setFields(res.error.fields);
      return;
    }
    setBody("");
    // Keep keyboard users where they were: ready to write the next one.
    bodyRef.current?.focus();
    setUrl("");
    setTitle("");
    onPosted(res.data.contribution);
    if (claim.kind === "span") onClaimChange({ kind: "whole" });
  }

  const err = (f: string) => fields[f];
  const describe = (f: string, extra?: string) => [extra, err(f) ? `${uid}-${f}-err` : null].filter(Boolean).join(" ") || undefined;
  const errorText = (f: string) =>
    err(f) ? (
      <p id={`${uid}-${f}-err`} className="mt-1 text-sm font-medium text-red-800">
        {err(f)}
      </p>
    ) : null;

  return (
    <form onSubmit={onSubmit} className="mt-3 space-y-3" aria-label="Add to the discussion" noValidate>
      <div className="rounded border-l-4 border-amber-400 bg-amber-50 px-3 py-2 text-sm text-stone-800">
        <p className="font-medium">Claim</p>
        {claim.kind === "span" ? (
          <>
            <q className="font-serif italic">{shorten(claim.exact, 240)}</q>
            <button type="button" className="ml-2 underline" onClick={() => onClaimChange({ kind: "whole" })}>
              Use the whole paragraph instead
            </button>
          </>
        ) : (
          <>
            <p>
              The whole paragraph. <span className="text-stone-600">To respond to part of it, select that text, or:</span>
            </p>
            <QuotePicker text={paragraph.text} onPick={onClaimChange} />
          </>
        )}
        {errorText("selector.exact") ?? errorText("selector.end") ?? errorText("selector.start")}
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-stone-900">Add</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {KINDS.map((k, i) => (
            <label key={k} className="flex items-center gap-1.5 text-sm">
              <input
                ref={i === 0 ? firstRef : undefined}
                type="radio"
                name={`${uid}-kind`}
                value={k}
                checked={kind === k}
                onChange={() => setKind(k)}
                className="accent-stone-900"
              />
              {k === "SOURCE" ? "Source link" : KIND_LABEL[k].short}
            </label>
          ))}
        </div>
      </fieldset>

      {kind === "SOURCE" && (
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
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://"
              aria-invalid={err("source.url") ? true : undefined}
              aria-describedby={describe("source.url")}
              className="mt-1 w-full rounded border border-stone-400 px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500"
            />
            {errorText("source.url")}
          </div>
          <div>
            <label htmlFor={`${uid}-title`} className="block text-sm font-medium">
              Title <span className="font-normal text-stone-600">(optional)</span>
            </label>
            <input
              id={`${uid}-title`}
              value={title}
              maxLength={MAX_SOURCE_TITLE}
              onChange={(e) => setTitle(e.target.value)}
              aria-describedby={describe("source.title")}
              className="mt-1 w-full rounded border border-stone-400 px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500"
            />
            {errorText("source.title")}
          </div>
          <div>
            <label htmlFor={`${uid}-stance`} className="block text-sm font-medium">
              Stance
            </label>
            <select
              id={`${uid}-stance`}
              value={stance}
              onChange={(e) => setStance(e.target.value as Stance)}
              className="mt-1 w-full rounded border border-stone-400 bg-white px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              {STANCES.map((s) => (
                <option key={s} value={s}>
                  {STANCE_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
        </>
      )}

      <div>
        <label htmlFor={`${uid}-body`} className="block text-sm font-medium">
          {BODY_LABEL[kind]}
        </label>
        <textarea
          ref={bodyRef}
          id={`${uid}-body`}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          rows={4}
          required
          aria-invalid={err("body") ? true : undefined}
          aria-describedby={describe("body", `${uid}-body-hint`)}
          className="mt-1 w-full rounded border border-stone-400 px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500"
        />
        <p id={`${uid}-body-hint`} className={`text-xs ${body.length > MAX_BODY ? "text-red-800" : "text-stone-600"}`}>
          {body.length.toLocaleString("en")}/{MAX_BODY.toLocaleString("en")} characters. **bold**, *italic*, `code`,
          [links](https://…), &gt; quotes and - lists work.
        </p>
        {errorText("body")}
      </div>

      {message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {message}
        </p>
      )}
      <button
        type="submit"
        aria-disabled={busy || undefined}
        className="rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 aria-disabled:opacity-60"
      >
        {busy ? "Posting…" : `Post ${kind === "SOURCE" ? "source" : KIND_LABEL[kind].one}`}
      </button>
    </form>
  );
}
