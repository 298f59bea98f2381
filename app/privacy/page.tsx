import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Privacy and research" };

/** What we keep, what research exports contain, and how to opt out. Static. */
export default function PrivacyPage() {
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 leading-relaxed text-stone-900">
      <h1 className="font-serif text-3xl font-semibold">Privacy and research</h1>

      <h2 className="mt-8 font-serif text-xl font-semibold">What we keep</h2>
      <p className="mt-2">
        Your name (shown with what you publish), your email address and a hash of your password (never shown to anyone),
        what you contribute, your reports to moderators, and the moderation history of contributions. Moderation decisions
        are recorded in an audit log.
      </p>

      <h2 className="mt-8 font-serif text-xl font-semibold" id="research">
        Research exports
      </h2>
      <p className="mt-2">
        This platform exists to study how people argue about a text. Approved researchers can export data for a named
        study: the articles, the paragraphs that were annotated, and published contributions with their quotes, times
        and (if the study asks for it) their moderation history.
      </p>
      <ul className="mt-3 list-disc space-y-1 pl-6">
        <li>
          <strong>You are included by default</strong>, because what you publish is already public. You can opt out at any
          time in{" "}
          <Link href="/me/settings" className="underline">
            Settings
          </Link>
          ; exports made after that leave out all your contributions, and show you as nobody in moderation records.
        </li>
        <li>
          Exports never contain names, email addresses, IP addresses or password data. You appear as a pseudonym made from
          your account id with a key that belongs to the study and never leaves our server: one study sees the same
          pseudonym for you each time; different studies cannot link theirs.
        </li>
        <li>
          Contributions you deleted are never exported. Contributions readers cannot see (pending, hidden, rejected) are
          exported only when an administrator asks for them, and are marked as such.
        </li>
        <li>Private notes — what you write when reporting a contribution or appealing a decision — are never exported.</li>
        <li>Every export is recorded in the audit log: who asked, when, with which filters, and how many rows.</li>
      </ul>
      <p className="mt-3 text-sm text-stone-700">
        Exports made before you opt out cannot be recalled from the researchers who received them; they are pseudonymous
        and cover only what was public at the time.
      </p>
    </div>
  );
}
