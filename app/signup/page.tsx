import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="font-serif text-3xl font-semibold">Create an account</h1>
      <p className="mt-2 text-stone-700">Anyone can read. An account lets you annotate, counter and cite.</p>
      <SignUpForm callbackUrl={callbackUrl ?? null} />
      <p className="mt-6 text-sm text-stone-700">
        What you publish here may be studied: researchers can export published contributions under pseudonyms (never your
        name or email). You can opt out at any time in Settings.{" "}
        <Link href="/privacy" className="underline">
          Privacy and research
        </Link>
      </p>
    </div>
  );
}
