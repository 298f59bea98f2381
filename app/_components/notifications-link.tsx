"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { getJson } from "./api";

/** How often the header asks for the unread count when nothing has happened. */
const POLL_MS = 30_000;

/**
 * The header's bell: "Notifications" with the unread count. Asked for on load, every 30 s, and
 * shortly after any live event on the page (a reply may be for you; the notifier needs a moment).
 */
export function NotificationsLink() {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const res = await getJson<{ unread: number }>("/api/me/notifications/unread");
      if (!stopped && res.ok) setUnread(res.data.unread);
    };
    const timers: ReturnType<typeof setTimeout>[] = [];
    const soon = () => {
      for (const ms of [700, 2500]) timers.push(setTimeout(() => void load(), ms));
    };
    void load();
    const poll = setInterval(() => void load(), POLL_MS);
    window.addEventListener("marginalia:live", soon);
    const now = () => void load();
    window.addEventListener("marginalia:notifications", now);
    return () => {
      stopped = true;
      clearInterval(poll);
      for (const t of timers) clearTimeout(t);
      window.removeEventListener("marginalia:live", soon);
      window.removeEventListener("marginalia:notifications", now);
    };
  }, []);
  const n = unread ?? 0;
  return (
    <Link href="/me/notifications" data-unread={n} className="inline-flex items-center gap-1.5 text-stone-800 underline-offset-4 hover:underline">
      Notifications
      {n > 0 ? (
        <>
          <span className="rounded-full bg-amber-700 px-1.5 text-xs font-semibold text-white">{n > 99 ? "99+" : n}</span>
          <span className="sr-only">unread</span>
        </>
      ) : (
        <span className="sr-only">none unread</span>
      )}
    </Link>
  );
}
