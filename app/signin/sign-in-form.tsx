"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Field } from "../_components/field";
import { refreshSession } from "../_components/session";
import { safeCallback } from "@/lib/http/redirect";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  AccountSuspended: "This account is suspended. You cannot sign in while the suspension lasts.",
};

export function SignInForm({ callbackUrl }: { callbackUrl: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (!res || res.error) {
      setBusy(false);
      setError(MESSAGES[res?.error ?? ""] ?? "Sign-in failed. Try again.");
      return;
    }
    // The header says who is signed in at once (next-auth's signIn did this for its SessionProvider).
    await refreshSession();
    setBusy(false);
    // A full navigation, so every server component sees the new session.
    window.location.assign(safeCallback(callbackUrl, window.location.origin));
  }

  return (
    <form onSubmit={onSubmit} className="mt-8 space-y-5" noValidate>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
      )}
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" required />
      <Field id="password" name="password" type="password" label="Password" autoComplete="current-password" required />
      <p className="text-sm">
        <Link href="/forgot-password" className="text-stone-800 underline">
          Forgot your password?
        </Link>
      </p>
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded bg-stone-900 px-4 py-2 font-medium text-white hover:bg-stone-700 disabled:opacity-60"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <p className="text-sm text-stone-700">
        No account yet?{" "}
        {/* Passed on as sent: the sign-up form checks it the same way before following it. */}
        <Link href={`/signup${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`} className="underline">
          Sign up
        </Link>
      </p>
    </form>
  );
}
