"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { getJson } from "./api";
import { useNotificationFeed } from "./notification-feed";

/** How often the header asks for the unread count while no stream is connected (the fallback). */
const POLL_MS = 30_000;
/** After the stream was refused (e.g. a 503 during a database restart), open it again this much later. */
const REOPEN_MS = 30_000;

/**
 * The header's bell: "Notifications" with the unread count, live (docs/decisions/0046). The count
 * is asked for on load and whenever the person's notifications change: on an article page its
 * live stream says so, elsewhere the bell's own stream (/api/me/notifications/events). Only while
 * neither is connected does it ask every 30 s.
 */
export function NotificationsLink() {
  const [unread, setUnread] = useState<number | null>(null);
  const [ownLive, setOwnLive] = useState(false);
  const feed = useNotificationFeed();
  const carried = feed.carriers > 0;
  const live = carried ? feed.live : ownLive;

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const res = await getJson<{ unread: number }>("/api/me/notifications/unread");
      if (!stopped && res.ok) setUnread(res.data.unread);
    };
    void load();
    const now = () => void load();
    window.addEventListener("marginalia:notifications", now);
    return () => {
      stopped = true;
      window.removeEventListener("marginalia:notifications", now);
    };
  }, []);

  // The bell's own stream, on pages whose article stream does not carry the nudges.
  useEffect(() => {
    if (carried || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const nudge = () => window.dispatchEvent(new Event("marginalia:notifications"));
    const open = () => {
      source = new EventSource("/api/me/notifications/events");
      source.addEventListener("hello", () => {
        setOwnLive(true);
        nudge(); // connected (again): the count may have changed meanwhile
      });
      source.addEventListener("notifications", nudge);
      source.onerror = () => {
        setOwnLive(false);
        // A network drop: EventSource reconnects by itself. A refusal closes it: try again later.
        if (source?.readyState === EventSource.CLOSED) timer = setTimeout(open, REOPEN_MS);
      };
    };
    // After this render's effects: an article stream mounting with this page takes over instead.
    timer = setTimeout(open, 0);
    return () => {
      if (timer) clearTimeout(timer);
      source?.close();
      setOwnLive(false);
    };
  }, [carried]);

  // The fallback: no stream connected, so ask now and then.
  useEffect(() => {
    if (live) return;
    const poll = setInterval(() => window.dispatchEvent(new Event("marginalia:notifications")), POLL_MS);
    return () => clearInterval(poll);
  }, [live]);

  const n = unread ?? 0;
  return (
    <Link
      href="/me/notifications"
      data-unread={n}
      data-live={live ? "true" : "false"}
      className="inline-flex items-center gap-1.5 text-stone-800 underline-offset-4 hover:underline"
    >
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
