import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="font-serif text-3xl font-semibold">Forgot your password?</h1>
      <p className="mt-2 text-stone-700">Enter the email address of your account. We will send it a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="mt-6 text-sm text-stone-700">
        Remembered it?{" "}
        <Link href="/signin" className="underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
