import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSettings } from "@/lib/users/settings";
import { currentUser } from "@/app/_components/current-user";
import { NotificationSettingsForm } from "./notification-settings-form";
import { ResearchOptOutForm } from "./research-opt-out-form";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=%2Fme%2Fsettings");
  const settings = await getSettings(user);
  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="font-serif text-3xl font-semibold">Settings</h1>
      <section aria-labelledby="notifications-heading" className="mt-8 rounded-lg border border-stone-300 bg-white p-5">
        <h2 id="notifications-heading" className="font-serif text-xl font-semibold">
          Notifications
        </h2>
        <p className="mt-2 text-sm leading-relaxed text-stone-800">
          What <Link href="/me/notifications" className="underline">Notifications</Link> tells you about.
        </p>
        <NotificationSettingsForm
          initial={{
            notifyReplies: settings.notifyReplies,
            notifyFollowed: settings.notifyFollowed,
            notifyModeration: settings.notifyModeration,
            autoFollow: settings.autoFollow,
            digest: settings.digest,
          }}
        />
      </section>
      <section aria-labelledby="research-heading" className="mt-8 rounded-lg border border-stone-300 bg-white p-5">
        <h2 id="research-heading" className="font-serif text-xl font-semibold">
          Research exports
        </h2>
        <p className="mt-2 text-sm leading-relaxed text-stone-800">
          Researchers can export published contributions for a study, under pseudonyms — never your name or email. You are
          included unless you opt out here. Read{" "}
          <Link href="/privacy#research" className="underline">
            what an export contains
          </Link>
          .
        </p>
        <ResearchOptOutForm initialOptOut={settings.researchOptOut} />
      </section>
    </div>
  );
}
