import type { Metadata } from "next";
import { TokenAction } from "../_components/token-action";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="font-serif text-3xl font-semibold">Confirm your email address</h1>
      <TokenAction
        token={typeof token === "string" ? token : ""}
        action="verify-email"
        intro="Press the button to confirm that this address is yours."
        button="Confirm my email address"
        missing="This page needs the link from the confirmation email. Signed in, you can ask for a new one from the banner at the top of the page."
      />
    </div>
  );
}
