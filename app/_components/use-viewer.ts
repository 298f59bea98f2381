"use client";

import { useSyncExternalStore } from "react";
import { LOADING, snapshot, subscribe, type Viewer } from "./session";

export type { Viewer } from "./session";

/**
 * The signed-in user as the session endpoint reports it (re-read from the database), or null;
 * `loading` until it is known. The server renders the loading state (the cached pages are the
 * same for everyone, docs/decisions/0006), the browser then the answer (./session.ts).
 */
export function useViewer(): { viewer: Viewer | null; loading: boolean } {
  return useSyncExternalStore(subscribe, snapshot, () => LOADING);
}
