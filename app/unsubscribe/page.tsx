import type { Metadata } from "next";
import { TokenAction } from "../_components/token-action";

export const metadata: Metadata = { title: "Unsubscribe", referrer: "no-referrer" };

export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="font-serif text-3xl font-semibold">Unsubscribe from digest emails</h1>
      <TokenAction
        token={typeof token === "string" ? token : ""}
        action="unsubscribe"
        intro="Press the button and we will stop sending you notification digests by email."
        button="Unsubscribe"
        missing="This page needs the unsubscribe link from a digest email."
      />
    </div>
  );
}
