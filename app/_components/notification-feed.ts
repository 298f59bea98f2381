"use client";

import { useSyncExternalStore } from "react";

/**
 * Who brings this tab its notification nudges (docs/decisions/0046): an article page's live stream
 * carries them (one connection per tab, not two, under HTTP/1.1's six per host), and the header's
 * bell opens its own stream (/api/me/notifications/events) only on pages without one.
 */

interface Feed {
  /** Article streams open in this tab. */
  carriers: number;
  /** Whether one of them is connected. */
  live: boolean;
}

let feed: Feed = { carriers: 0, live: false };
const listeners = new Set<() => void>();
const SERVER: Feed = { carriers: 0, live: false };

function set(next: Feed): void {
  feed = next;
  for (const l of listeners) l();
}

/** An article stream takes over the tab's nudges until `release`; `setLive` says whether it is connected. */
export function claimNotificationFeed(): { setLive: (live: boolean) => void; release: () => void } {
  set({ carriers: feed.carriers + 1, live: false });
  let released = false;
  return {
    setLive: (live) => {
      if (!released) set({ ...feed, live });
    },
    release: () => {
      if (released) return;
      released = true;
      set({ carriers: feed.carriers - 1, live: false });
    },
  };
}

/** Tells the bell to ask for its count now. */
export function nudgeNotifications(): void {
  window.dispatchEvent(new Event("marginalia:notifications"));
}

export function useNotificationFeed(): Feed {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => feed,
    () => SERVER,
  );
}
