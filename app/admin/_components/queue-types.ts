import type { QueueItem } from "@/lib/moderation/list-queue";

/** A queue item plus the texts computed on the server (dates and ages render the same on both sides). */
export interface QueueRow extends QueueItem {
  view: {
    queued: string;
    created: string;
    authorAge: string;
    flagTimes: string[];
    appealTime: string | null;
    hiddenTime: string | null;
  };
}

/** What a 409 from the decision endpoints carries for each item that changed. */
export interface StaleItem {
  id: string;
  reason: "changed" | "not_allowed" | "missing";
  current?: { status: string; version: number; openFlagCount: number };
}

export type Decision = "PUBLISH" | "HIDE" | "REJECT" | "RESTORE" | "KEEP";

/** A decision that asks for a reason (or a confirmation) first: hide, reject, denying or upholding an appeal. */
export type ReasonedAction = "HIDE" | "REJECT" | "DENY" | "UPHOLD";
