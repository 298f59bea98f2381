import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { lenientQuery, type SearchParams } from "@/lib/http/parse";
import { listNotifications, type NotificationDto } from "@/lib/notifications/list-notifications";
import { outcomeText } from "@/lib/notifications/outcomes";
import { notificationsQuerySchema } from "@/lib/notifications/schemas";
import { currentUser } from "@/app/_components/current-user";
import { formatUtc, shorten } from "@/app/_components/labels";
import { MarkRead } from "./mark-read";

// Rendered per request: it depends on who is asking.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Notifications" };

type Props = { searchParams: Promise<SearchParams> };


/** What happened, in one line (also the name of the item's links, for screen readers). */
function headline(n: NotificationDto): string {
  if (n.kind === "MODERATION") return outcomeText(n.outcome);
  if (n.kind === "REPLY") return `${n.contribution.author} replied to your contribution “${shorten(n.inReplyTo?.firstLine ?? "", 80)}”`;
  return `${n.contribution.author} ${n.contribution.isReply ? "replied in a thread" : "posted on something"} you follow`;
}

export default async function NotificationsPage({ searchParams }: Props) {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=%2Fme%2Fnotifications");
  const { query, problem: fallback } = lenientQuery(notificationsQuerySchema, await searchParams);
  const page = await listNotifications(user, query.cursor);

  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="font-serif text-3xl font-semibold">Notifications</h1>
      <p className="mt-2 text-stone-700">
        Replies to you, news on what you follow and moderators’ decisions on your contributions, newest first
        (choose which in <Link href="/me/settings" className="underline">Settings</Link>). {page.unread === 0 ? "Nothing unread." : `${page.unread} unread.`}
      </p>
      {fallback === "cursor" && <p className="mt-3 text-sm text-stone-700">That page link is no longer valid; showing the newest.</p>}
      {page.unread > 0 && <MarkRead all label="Mark all as read" />}
      {page.items.length === 0 ? (
        <p className="mt-8 rounded border border-stone-200 bg-white px-4 py-6 text-stone-700">
          No notifications yet. When someone replies to you, or posts on an article, paragraph or thread you follow, it
          shows here.
        </p>
      ) : (
        <ol className="mt-6 space-y-3" aria-label="Notifications, newest first">
          {page.items.map((n) => (
            <li key={n.id}>
              <article
                aria-labelledby={`n-${n.id}`}
                data-notification-id={n.id}
                data-kind={n.kind}
                data-unread={n.read ? undefined : "true"}
                className={`rounded-lg border p-4 ${n.read ? "border-stone-200 bg-white" : "border-amber-400 bg-amber-50"}`}
              >
                <h2 id={`n-${n.id}`} className="text-sm font-semibold text-stone-900">
                  {n.read ? null : <span className="mr-2 rounded bg-amber-700 px-1.5 py-0.5 text-xs font-medium text-white">New</span>}
                  {headline(n)}
                </h2>
                <p className="mt-1 text-sm text-stone-800">“{shorten(n.contribution.firstLine, 240)}”</p>
                <p className="mt-2 flex flex-wrap items-center gap-3 text-sm">
                  <Link href={n.contribution.href} className="font-medium underline">
                    {n.kind === "MODERATION" ? "See it in My contributions" : n.contribution.isReply ? "Open the reply" : "Open it"}
                    <span className="sr-only"> ({headline(n)})</span>
                  </Link>
                  <span className="text-stone-600">
                    in {n.contribution.articleTitle} · <time dateTime={n.createdAt}>{formatUtc(n.createdAt)}</time>
                  </span>
                  {!n.read && <MarkRead id={n.id} label="Mark as read" what={`(${headline(n)})`} />}
                </p>
              </article>
            </li>
          ))}
        </ol>
      )}
      {page.nextCursor && (
        <p className="mt-6">
          <Link href={`/me/notifications?cursor=${page.nextCursor}`} className="underline">
            Older notifications
          </Link>
        </p>
      )}
    </div>
  );
}
