"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import { Field } from "../_components/field";

export function ResetPasswordForm({ token }: { token: string }) {
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    setError(null);
    setFieldError(undefined);
    if (password !== String(form.get("confirm") ?? "")) {
      setError("The two passwords are not the same.");
      return;
    }
    setBusy(true);
    const res = await send<{ message: string }>("/api/password-reset/complete", "POST", { token, password });
    setBusy(false);
    if (res.ok) {
      setDone(res.data.message);
      return;
    }
    if (res.error.fields.password) setFieldError(`Password ${res.error.fields.password}.`);
    else setError(res.error.message);
  }

  if (done) {
    return (
      <div role="status" className="mt-8 rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-950">
        <p>{done}</p>
        <p className="mt-2">
          <Link href="/signin" className="font-medium underline">
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="mt-8 space-y-5" noValidate>
      {error && (
        <div role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          <p>{error}</p>
          {/invalid|expired|not valid/i.test(error) && (
            <p className="mt-1">
              <Link href="/forgot-password" className="underline">
                Ask for a new link
              </Link>
            </p>
          )}
        </div>
      )}
      <Field
        id="password"
        name="password"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        minLength={10}
        error={fieldError}
        hint="At least 10 characters. Every other device signed in to your account is signed out."
      />
      <Field id="confirm" name="confirm" type="password" label="New password again" autoComplete="new-password" required />
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded bg-stone-900 px-4 py-2 font-medium text-white hover:bg-stone-700 disabled:opacity-60"
      >
        {busy ? "Saving…" : "Set the new password"}
      </button>
    </form>
  );
}
