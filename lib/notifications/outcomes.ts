/** What a moderation notification says happened (its `detail`), in the list and in the digest. */
export const OUTCOME_TEXT: Record<string, string> = {
  HIDE: "A moderator hid your contribution",
  REJECT: "A moderator rejected your contribution",
  PUBLISH: "A moderator published your contribution",
  RESTORE: "A moderator restored your contribution",
  APPEAL_UPHELD: "Your appeal was upheld: your contribution is restored",
  APPEAL_DENIED: "Your appeal was denied",
  UNDONE: "A moderator took back their decision on your contribution",
};

export const outcomeText = (detail: string | null): string => OUTCOME_TEXT[detail ?? ""] ?? "A moderator decided on your contribution";

/**
 * Notifications that still lead somewhere (the list, the bell's count, the digest): news of a
 * contribution that is published and not deleted, or a decision on the reader's own while it exists.
 */
export const STILL_THERE = {
  OR: [
    { kind: { in: ["REPLY", "FOLLOWED"] }, contribution: { status: "PUBLISHED" as const, deletedAt: null } },
    { kind: "MODERATION", contribution: { deletedAt: null } },
  ],
};
