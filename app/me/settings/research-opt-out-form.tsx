"use client";

import { useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";

/** The research opt-out: one checkbox, saved explicitly, with the outcome announced. */
export function ResearchOptOutForm({ initialOptOut }: { initialOptOut: boolean }) {
  const [saved, setSaved] = useState(initialOptOut);
  const [optOut, setOptOut] = useState(initialOptOut);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await send<{ settings: { researchOptOut: boolean } }>("/api/me/settings", "PATCH", { researchOptOut: optOut });
    setBusy(false);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error.message });
      return;
    }
    setSaved(res.data.settings.researchOptOut);
    setMessage({
      ok: true,
      text: res.data.settings.researchOptOut
        ? "Saved. Your contributions will be left out of research exports from now on."
        : "Saved. Your published contributions can be included in research exports, under a pseudonym.",
    });
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="mt-4">
      <div className="flex items-start gap-3">
        <input
          id="research-opt-out"
          type="checkbox"
          checked={optOut}
          onChange={(e) => setOptOut(e.target.checked)}
          aria-describedby="research-opt-out-hint"
          className="mt-1 h-4 w-4 accent-stone-900"
        />
        <div>
          <label htmlFor="research-opt-out" className="font-medium text-stone-900">
            Leave my contributions out of research exports
          </label>
          <p id="research-opt-out-hint" className="text-sm text-stone-700">
            Currently: {saved ? "left out" : "included (the default)"}.
          </p>
        </div>
      </div>
      <button
        type="submit"
        disabled={busy || optOut === saved}
        className="mt-4 rounded bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:cursor-not-allowed disabled:bg-stone-500"
      >
        {busy ? "Saving…" : "Save"}
      </button>
      <p role="status" className={`mt-3 text-sm ${message?.ok === false ? "font-medium text-red-800" : "text-stone-800"}`}>
        {message?.text ?? ""}
      </p>
    </form>
  );
}
