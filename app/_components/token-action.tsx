"use client";

import { useState } from "react";
import { send } from "./api";

/** Where each one-button page sends its token: in the body, or in the URL (the List-Unsubscribe URL). */
const REQUESTS = {
  "verify-email": (token: string) => ({ url: "/api/email-verification", body: { token } }),
  unsubscribe: (token: string) => ({ url: `/api/email/unsubscribe?${new URLSearchParams({ token })}`, body: {} }),
} as const;

/**
 * A page that acts on a token from an email link with one button press (not on opening the
 * page: mail scanners open links too).
 */
export function TokenAction({
  token,
  action,
  intro,
  button,
  missing,
}: {
  token: string;
  action: keyof typeof REQUESTS;
  intro: string;
  button: string;
  missing: string;
}) {
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!token) return <p className="mt-4 text-stone-700">{missing}</p>;

  async function run() {
    setBusy(true);
    setError(null);
    const { url, body } = REQUESTS[action](token);
    const res = await send<{ message: string }>(url, "POST", body);
    setBusy(false);
    if (res.ok) setDone(res.data.message);
    else setError(res.error.message);
  }

  if (done) {
    return (
      <p role="status" className="mt-6 rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-950">
        {done}
      </p>
    );
  }
  return (
    <div className="mt-4 space-y-4">
      <p className="text-stone-700">{intro}</p>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
      )}
      <button
        type="button"
        onClick={run}
        disabled={busy}
        className="rounded bg-stone-900 px-4 py-2 font-medium text-white hover:bg-stone-700 disabled:opacity-60"
      >
        {busy ? "Working…" : button}
      </button>
    </div>
  );
}
