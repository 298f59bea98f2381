"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Field } from "../_components/field";
import { safeCallback } from "@/lib/http/redirect";
import { send } from "../_components/api";
import { refreshSession } from "../_components/session";

type FieldErrors = Partial<Record<"name" | "email" | "password", string>>;

export function SignUpForm({ callbackUrl }: { callbackUrl: string | null }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    setBusy(true);
    setErrors({});
    setMessage(null);
    const res = await send<{ user: { id: string } }>("/api/signup", "POST", body);
    if (!res.ok) {
      setBusy(false);
      if (res.error.status === 0) {
        setMessage("Could not reach the server. Nothing was saved; try again.");
        return;
      }
      const fe: FieldErrors = {};
      for (const [field, text] of Object.entries(res.error.fields)) {
        if (field === "name" || field === "email" || field === "password") {
          fe[field] = `${field[0]!.toUpperCase()}${field.slice(1)} ${text}.`;
        }
      }
      setErrors(fe);
      // 409: the server says what is taken; fields to correct; else (429, …) the server's message.
      setMessage(res.error.status !== 409 && Object.keys(fe).length ? "Please correct the fields below." : res.error.message);
      return;
    }
    const signed = await signIn("credentials", { email: body.email, password: body.password, redirect: false }).catch(() => null);
    // The header says who is signed in at once (next-auth's signIn did this for its SessionProvider).
    if (signed?.ok) await refreshSession();
    setBusy(false);
    window.location.assign(signed?.ok ? safeCallback(callbackUrl, window.location.origin) : "/signin");
  }

  return (
    <form onSubmit={onSubmit} className="mt-8 space-y-5" noValidate>
      {message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {message}
        </p>
      )}
      <Field id="name" name="name" label="Display name" autoComplete="name" required error={errors.name} hint="Shown next to what you write." />
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" required error={errors.email} hint="Never shown to other readers." />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        minLength={10}
        error={errors.password}
        hint="At least 10 characters."
      />
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded bg-stone-900 px-4 py-2 font-medium text-white hover:bg-stone-700 disabled:opacity-60"
      >
        {busy ? "Creating account…" : "Create account"}
      </button>
      <p className="text-sm text-stone-700">
        Already have an account?{" "}
        <Link href={`/signin${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`} className="underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
