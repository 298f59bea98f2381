"use client";

import { createContext, useContext, useEffect, useRef, useState } from "react";
import type { LiveEvent } from "@/lib/live/events";
import { claimNotificationFeed, nudgeNotifications } from "../notification-feed";

export type { LiveEvent };

interface Live {
  subscribe: (fn: (e: LiveEvent) => void) => () => void;
  /** Tells screen-reader users what arrived (the discussion's polite live region). */
  announce: (message: string) => void;
}

export const LiveContext = createContext<Live | null>(null);

/** Calls `fn` for every live event of the article while the component is mounted. */
export function useLiveEvents(fn: (e: LiveEvent) => void): void {
  const live = useContext(LiveContext);
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => live?.subscribe((e) => ref.current(e)), [live]);
}

export function useAnnounce(): (message: string) => void {
  return useContext(LiveContext)?.announce ?? (() => undefined);
}

export type StreamState = "connecting" | "live" | "offline";

/**
 * The article's live stream (GET /api/articles/:slug/events, Server-Sent Events). The browser
 * reconnects by itself and sends Last-Event-ID, so nothing is missed; `onReset` runs when the
 * server could not replay everything (the page then reloads its margin). For a signed-in reader it
 * also carries their notification nudges, which it hands to the header's bell.
 */
export function useArticleStream(slug: string, from: string, onEvent: (e: LiveEvent) => void, onReset: () => void): StreamState {
  const [state, setState] = useState<StreamState>("connecting");
  const handlers = useRef({ onEvent, onReset });
  handlers.current = { onEvent, onReset };
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    // From the page's own point in time; after a drop the browser's Last-Event-ID takes over.
    const source = new EventSource(`/api/articles/${encodeURIComponent(slug)}/events?lastEventId=${encodeURIComponent(from)}`);
    // A signed-in reader's article stream also brings their notification nudges (the bell opens no second stream).
    const feed = claimNotificationFeed();
    source.addEventListener("hello", () => {
      setState("live");
      feed.setLive(true);
      // Connected (again): the count may have changed meanwhile.
      nudgeNotifications();
    });
    source.addEventListener("notifications", () => nudgeNotifications());
    source.addEventListener("contribution", (m) => {
      try {
        handlers.current.onEvent(JSON.parse((m as MessageEvent<string>).data) as LiveEvent);
      } catch {
        // A malformed event is skipped; the next one carries the paragraph's whole summary again.
      }
    });
    source.addEventListener("reset", () => handlers.current.onReset());
    source.onerror = () => {
      setState("offline");
      feed.setLive(false);
    };
    return () => {
      source.close();
      feed.release();
    };
    // Once per page: a new `from` (a re-render of the cached page) must not restart the stream.
  }, [slug]);
  return state;
}
