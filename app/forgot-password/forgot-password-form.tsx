"use client";

import { useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import { Field } from "../_components/field";

export function ForgotPasswordForm() {
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("email") ?? "");
    setBusy(true);
    setError(null);
    setFieldError(undefined);
    const res = await send<{ message: string }>("/api/password-reset", "POST", { email });
    setBusy(false);
    if (res.ok) {
      setSent(res.data.message);
      return;
    }
    if (res.error.fields.email) setFieldError(`Email ${res.error.fields.email}.`);
    else setError(res.error.message);
  }

  if (sent) {
    return (
      <p role="status" className="mt-8 rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-950">
        {sent} Check your inbox (and the spam folder).
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} className="mt-8 space-y-5" noValidate>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
      )}
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" required error={fieldError} />
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded bg-stone-900 px-4 py-2 font-medium text-white hover:bg-stone-700 disabled:opacity-60"
      >
        {busy ? "Sending…" : "Send me a reset link"}
      </button>
    </form>
  );
}
