"use client";

import { createContext, useContext } from "react";

/** Where the open discussion is: for links to its contributions, and the one a shared link opened. */
export interface DiscussionPlace {
  slug: string;
  anchorId: string;
  /** The contribution a shared link points at: highlighted and focused when it appears. */
  linkedId: string | null;
}

export const DiscussionContext = createContext<DiscussionPlace | null>(null);

export function useDiscussionPlace(): DiscussionPlace | null {
  return useContext(DiscussionContext);
}

/** The shareable address of a contribution: opens the paragraph, the thread, and focuses it. */
export function contributionPath(slug: string, anchorId: string, id: string): string {
  return `/articles/${slug}?contribution=${id}#${encodeURIComponent(anchorId)}`;
}

/** The shareable address of a passage: the paragraph, with the words highlighted. */
export function passagePath(slug: string, anchorId: string, span: { start: number; end: number }): string {
  return `/articles/${slug}?passage=${span.start}-${span.end}#${encodeURIComponent(anchorId)}`;
}
