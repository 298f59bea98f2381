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

export { contributionPath, passagePath } from "@/lib/annotations/links";
