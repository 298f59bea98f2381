"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import { FLAG_REASONS, FLAG_REASON_LABEL } from "@/app/_components/labels";

const MAX_NOTE = 500;
const REPORTED = "You reported this — moderators will review it.";
const REPORTED_NOW = "Reported — moderators will review it.";

const HINT: Record<string, string> = {
  SPAM: "advertising, repeated or automated posting",
  HARASSMENT: "attacks a person rather than a claim",
  OFF_TOPIC: "not about this passage",
  MISINFORMATION: "states something false as fact",
  OTHER: "say what is wrong in the note",
};

/**
 * "Report": a signed-in reader flags someone else's contribution for the moderators.
 * Disagreeing is not a reason; the form says so.
 */
export function ReportControl({ contributionId, what, reported = false }: { contributionId: string; what: string; reported?: boolean }) {
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string>("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  // Already reported (and not yet decided): say so instead of offering a report that would be refused.
  const initial = reported ? REPORTED : null;
  const [done, setDone] = useState<string | null>(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const toggleRef = useRef<HTMLButtonElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    setFields({});
    if (!reason) {
      setFields({ reason: "Choose a reason." });
      return;
    }
    setBusy(true);
    const res = await send<{ flagId: string; autoHidden: boolean }>(`/api/contributions/${contributionId}/flags`, "POST", {
      reason,
      note: note.trim() ? note : undefined,
    });
    setBusy(false);
    if (res.ok) {
      setOpen(false);
      setDone(REPORTED_NOW);
      requestAnimationFrame(() => doneRef.current?.focus());
      return;
    }
    if (res.error.status === 409) {
      setOpen(false);
      setDone(res.error.message);
      requestAnimationFrame(() => doneRef.current?.focus());
      return;
    }
    setMessage(res.error.message);
    setFields(res.error.fields);
  }

  if (done) {
    return (
      // A status only when it answers the reader's report just now; on a reload it is plain text.
      <p ref={doneRef} tabIndex={-1} role={done === initial ? undefined : "status"} data-reported className="mt-2 text-sm text-stone-700 outline-none">
        {done}
      </p>
    );
  }

  return (
    <div className="mt-2 text-sm">
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={open}
        aria-controls={`${uid}-form`}
        onClick={() => setOpen((o) => !o)}
        className="rounded text-stone-700 underline underline-offset-2 hover:text-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
      >
        Report<span className="sr-only"> this {what}</span>
      </button>
      {open && (
        <form
          id={`${uid}-form`}
          onSubmit={(e) => void submit(e)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.stopPropagation();
              setOpen(false);
              toggleRef.current?.focus();
            }
          }}
          className="mt-2 space-y-3 rounded border border-stone-300 bg-stone-50 p-3"
          noValidate
        >
          <fieldset aria-describedby={`${uid}-hint${fields.reason ? ` ${uid}-reason-err` : ""}`}>
            <legend className="font-medium text-stone-900">Why should moderators look at this {what}?</legend>
            <p id={`${uid}-hint`} className="mt-1 text-xs text-stone-600">
              Disagreement is not a reason to report: reply with a counterpoint instead.
            </p>
            <div className="mt-2 space-y-1">
              {FLAG_REASONS.map((r) => (
                <label key={r} className="flex items-start gap-2">
                  <input
                    type="radio"
                    name={`${uid}-reason`}
                    value={r}
                    checked={reason === r}
                    onChange={() => setReason(r)}
                    className="mt-1 accent-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
                  />
                  <span>
                    {FLAG_REASON_LABEL[r]} <span className="text-xs text-stone-600">— {HINT[r]}</span>
                  </span>
                </label>
              ))}
            </div>
            {fields.reason && (
              <p id={`${uid}-reason-err`} className="mt-1 font-medium text-red-800">
                {fields.reason}
              </p>
            )}
          </fieldset>
          <div>
            <label htmlFor={`${uid}-note`} className="block font-medium text-stone-900">
              Note for the moderators{reason === "OTHER" ? "" : " (optional)"}
            </label>
            <textarea
              id={`${uid}-note`}
              value={note}
              maxLength={MAX_NOTE}
              rows={3}
              onChange={(e) => setNote(e.target.value)}
              aria-describedby={`${uid}-note-count${fields.note ? ` ${uid}-note-err` : ""}`}
              aria-invalid={fields.note ? true : undefined}
              className="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1 focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
            />
            <p id={`${uid}-note-count`} className="mt-1 text-xs text-stone-600">
              {note.length}/{MAX_NOTE} characters
            </p>
            {fields.note && (
              <p id={`${uid}-note-err`} className="mt-1 font-medium text-red-800">
                {fields.note}
              </p>
            )}
          </div>
          {message && <p className="rounded border border-red-300 bg-red-50 px-2 py-1 text-red-900">{message}</p>}
          <div className="flex gap-3">
            <button
              type="submit"
              disabled={busy}
              className="rounded bg-stone-900 px-3 py-1 font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60"
            >
              {busy ? "Sending…" : "Send report"}
            </button>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                toggleRef.current?.focus();
              }}
              className="underline focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
