import Link from "next/link";

/** What a signed-in person without the role sees (the API answers these requests with 403). */
export function NoAccess({ who }: { who: "moderators" | "admins" | "researchers" }) {
  return (
    <div className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="font-serif text-3xl font-semibold">You don’t have access</h1>
      <p className="mt-4 text-stone-700">
        This page is for {who} only. If you think you should have access, ask an admin.
      </p>
      <p className="mt-4 text-stone-700">
        <Link href="/" className="underline">
          See all articles
        </Link>{" "}
        or read the{" "}
        <Link href="/moderation" className="underline">
          moderation policy
        </Link>
        .
      </p>
    </div>
  );
}
