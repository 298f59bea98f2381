"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { Kind } from "@/lib/annotations/limits";
import type { ContributionDto } from "@/lib/annotations/dto";
import { send } from "../api";
import type { ParagraphProps } from "./article-discussion";
import { ComposeFields, draftPayload, EMPTY_DRAFT, FieldErrorText, type Draft } from "./compose-fields";
import { KIND_LABEL, shorten, STANCE_LABEL } from "./labels";
import { QuotePicker } from "./quote-picker";
import { findQuote } from "@/lib/annotations/find-quote";
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
  /** Closes the form (the draft is kept while the discussion stays open). */
  onCancel: () => void;
}

export function ContributionForm({ slug, versionId, paragraph, claim, autoFocus, onClaimChange: setClaim, onPosted, onCancel }: Props) {
  const uid = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const kind = draft.kind;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  // Words typed into "Quote part of it" and not applied: never post on the whole paragraph instead.
  const [pendingQuote, setPendingQuote] = useState("");
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [pickerKey, setPickerKey] = useState(0);

  useEffect(() => {
    if (autoFocus) firstRef.current?.focus();
  }, [autoFocus]);

  // A claim the reader chose here (typed quote, "whole paragraph instead"): focus goes back to the form's first choice.
  const refocus = useRef(false);
  function onClaimChange(c: Claim) {
    refocus.current = true;
    setClaim(c);
  }
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    firstRef.current?.focus();
  }, [claim]);

  const whole = { start: 0, end: paragraph.text.length, exact: paragraph.text };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    let span = claim.kind === "span" ? claim : whole;
    if (claim.kind === "whole" && pendingQuote.trim()) {
      const found = findQuote(paragraph.text, pendingQuote);
      if (!found) {
        setQuoteError("Those words are not in this paragraph. Copy them from it, punctuation included.");
        setMessage("The words to quote are not in this paragraph. Nothing was posted.");
        return;
      }
      span = found;
    }
    setQuoteError(null);
    setBusy(true);
    setMessage(null);
    setFields({});
    const res = await send<{ contribution: ContributionDto }>(`/api/articles/${slug}/contributions`, "POST", {
      anchorId: paragraph.anchorId,
      versionId,
      ...draftPayload(draft),
      selector: { start: span.start, end: span.end, exact: span.exact },
    });
    setBusy(false);
    if (!res.ok) {
      const hasFields = Object.keys(res.error.fields).length > 0;
      setMessage(hasFields ? "Please correct the fields marked below. Nothing was posted." : res.error.message);
      setFields(res.error.fields);
      return;
    }
    setDraft({ ...EMPTY_DRAFT, kind: draft.kind, stance: draft.stance });
    setPendingQuote("");
    setPickerKey((k) => k + 1); // the picker starts empty again
    if (claim.kind === "span") setClaim({ kind: "whole" });
    // The form closes; the panel puts focus back on its Respond button, above the new contribution.
    onPosted(res.data.contribution);
  }

  const errorText = (f: string) => (fields[f] ? <FieldErrorText uid={uid} field={f} fields={fields} /> : null);

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
            <QuotePicker
              key={pickerKey}
              text={paragraph.text}
              onPick={(c) => {
                setPendingQuote("");
                onClaimChange(c);
              }}
              onWordsChange={(w) => {
                setPendingQuote(w);
                setQuoteError(null);
              }}
              error={quoteError}
            />
          </>
        )}
        {errorText("selector.exact") ?? errorText("selector.end") ?? errorText("selector.start")}
      </div>

      <ComposeFields
        uid={uid}
        draft={draft}
        onChange={setDraft}
        fields={fields}
        legend="Add"
        bodyLabel={BODY_LABEL}
        stanceLabel={STANCE_LABEL}
        firstRef={firstRef}
        bodyRef={bodyRef}
      />

      {message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {message}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          aria-disabled={busy || undefined}
          className="rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 aria-disabled:opacity-60"
        >
          {busy ? "Posting…" : `Post ${kind === "SOURCE" ? "source" : KIND_LABEL[kind].one}`}
        </button>
        <button
          type="button"
          onClick={onCancel}
          className="rounded px-2 py-1.5 text-sm text-stone-700 underline-offset-2 hover:underline focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
