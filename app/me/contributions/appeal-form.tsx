"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";

const MAX_NOTE = 2000;

/** The author appeals a hide or a reject, once, with a note to the moderators. */
export function AppealForm({ contributionId }: { contributionId: string }) {
  const router = useRouter();
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const openRef = useRef<HTMLButtonElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!note.trim()) {
      setError("Say why the decision should be reconsidered.");
      return;
    }
    setBusy(true);
    const res = await send<{ appealId: string }>(`/api/contributions/${contributionId}/appeal`, "POST", { note });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.fields.note ? `Your note ${res.error.fields.note}.` : res.error.message);
      if (res.error.status === 409) router.refresh();
      return;
    }
    setSent(true);
    router.refresh();
  }

  if (sent) {
    return (
      <p role="status" className="mt-3 text-sm font-medium text-stone-800">
        Appeal sent. A moderator will review it; the decision on an appeal is final.
      </p>
    );
  }
  if (!open) {
    return (
      <button
        ref={openRef}
        type="button"
        onClick={() => setOpen(true)}
        className="mt-3 rounded border border-stone-700 bg-white px-3 py-1 text-sm font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
      >
        Appeal this decision
      </button>
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="mt-3 rounded border border-stone-300 bg-stone-50 p-3" noValidate>
      <label htmlFor={`${uid}-note`} className="block text-sm font-medium text-stone-900">
        Your appeal
      </label>
      <p id={`${uid}-hint`} className="mt-1 text-xs text-stone-600">
        Explain why the decision should be reconsidered. You can appeal once, and the moderators’ decision on the appeal is final.
      </p>
      <textarea
        id={`${uid}-note`}
        value={note}
        rows={4}
        maxLength={MAX_NOTE}
        autoFocus
        onChange={(e) => setNote(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${uid}-hint ${uid}-count${error ? ` ${uid}-err` : ""}`}
        className="mt-2 block w-full rounded border border-stone-400 bg-white px-2 py-1 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
      />
      <p id={`${uid}-count`} className="mt-1 text-xs text-stone-600">
        {note.length.toLocaleString("en")}/{MAX_NOTE.toLocaleString("en")} characters
      </p>
      {error && (
        <p id={`${uid}-err`} className="mt-1 text-sm font-medium text-red-800">
          {error}
        </p>
      )}
      <div className="mt-2 flex gap-3">
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-stone-900 px-3 py-1 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60"
        >
          {busy ? "Sending…" : "Send appeal"}
        </button>
        <button
          type="button"
          onClick={() => {
            setOpen(false);
            setError(null);
          }}
          className="text-sm underline focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
