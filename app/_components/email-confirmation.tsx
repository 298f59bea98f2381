"use client";

import { useState } from "react";
import { send } from "./api";

/**
 * The reminder to confirm the email address, and "send it again" (shown by ./verify-email-banner.tsx
 * to signed-in readers who have not confirmed yet; its own chunk, docs/decisions/0047).
 */
export function EmailConfirmation() {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function resend() {
    setBusy(true);
    const res = await send<{ message: string }>("/api/me/email-verification", "POST", {});
    setBusy(false);
    setNote(res.ok ? res.data.message : res.error.message);
  }

  return (
    <section aria-label="Email confirmation" className="border-b border-amber-300 bg-amber-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 text-sm text-amber-950">
        <p>Please confirm your email address: we sent you a link when you signed up.</p>
        <button
          type="button"
          onClick={resend}
          disabled={busy}
          className="rounded border border-amber-700 px-2 py-0.5 font-medium hover:bg-amber-100 disabled:opacity-60"
        >
          {busy ? "Sending…" : "Send the link again"}
        </button>
        {note && (
          <p role="status" className="text-amber-950">
            {note}
          </p>
        )}
      </div>
    </section>
  );
}
