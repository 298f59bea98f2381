"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { ContributionDto } from "@/lib/annotations/dto";
import type { Kind } from "@/lib/annotations/limits";
import { send } from "../api";
import { ComposeFields, draftPayload, EMPTY_DRAFT, type Draft } from "./compose-fields";
import { REPLY_STANCE_LABEL } from "./labels";

const BODY_LABEL: Record<Kind, string> = {
  ANNOTATION: "Your reply",
  COUNTERPOINT: "Your counterpoint to it",
  SOURCE: "What this source shows about it",
};


interface Props {
  parent: ContributionDto;
  onPosted: (reply: ContributionDto) => void;
  onCancel: () => void;
}

/** Answers one contribution: an annotation, a counterpoint (disputes it) or a source (evidence for or against it). */
export function ReplyForm({ parent, onPosted, onCancel }: Props) {
  const uid = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    bodyRef.current?.focus();
  }, []);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    setFields({});
    const res = await send<{ contribution: ContributionDto }>(`/api/contributions/${parent.id}/replies`, "POST", draftPayload(draft));
    setBusy(false);
    if (!res.ok) {
      const hasFields = Object.keys(res.error.fields).length > 0;
      setMessage(hasFields ? "Please correct the fields marked above. Nothing was posted." : res.error.message);
      setFields(res.error.fields);
      return;
    }
    onPosted(res.data.contribution);
  }

  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onCancel();
        }
      }}
      className="mt-2 space-y-3 rounded border border-stone-300 bg-stone-50 p-3"
      aria-label={`Reply to ${parent.author.name}`}
      noValidate
    >
      <ComposeFields
        uid={uid}
        draft={draft}
        onChange={setDraft}
        fields={fields}
        legend="Reply as"
        bodyLabel={BODY_LABEL}
        stanceLabel={REPLY_STANCE_LABEL}
        bodyRef={bodyRef}
      />
      {message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {message}
        </p>
      )}
      <div className="flex items-center gap-3">
        <button
          type="submit"
          aria-disabled={busy || undefined}
          className="rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 aria-disabled:opacity-60"
        >
          {busy ? "Posting…" : "Post reply"}
        </button>
        <button type="button" onClick={onCancel} className="text-sm underline focus:outline-none focus:ring-2 focus:ring-amber-500">
          Cancel
        </button>
      </div>
    </form>
  );
}
