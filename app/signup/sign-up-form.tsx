"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Field } from "../_components/field";
import { safeCallback } from "../_components/safe-callback";

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
    try {
      const res = await fetch("/api/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        const data = (await res.json().catch(() => null)) as {
          error?: { message?: string; fields?: { field: string; message: string }[] };
        } | null;
        const fe: FieldErrors = {};
        for (const f of data?.error?.fields ?? []) {
          if (f.field === "name" || f.field === "email" || f.field === "password") {
            fe[f.field] ??= `${f.field[0]!.toUpperCase()}${f.field.slice(1)} ${f.message}.`;
          }
        }
        setErrors(fe);
        setMessage(res.status === 409 ? (data?.error?.message ?? "That email is taken.") : "Please correct the fields below.");
        return;
      }
      const signed = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
      window.location.assign(signed?.ok ? safeCallback(callbackUrl) : "/signin");
    } catch {
      setMessage("Could not reach the server. Nothing was saved; try again.");
    } finally {
      setBusy(false);
    }
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
        <Link href="/signin" className="underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
