import type { ContributionStatus } from "@/lib/generated/prisma/enums";

/**
 * The moderation status machine: which decision may be taken from which status, and where
 * it leads. Every change goes through `transition()`; anything else is refused (409).
 *
 *   PENDING   --publish--> PUBLISHED      PENDING   --reject--> REJECTED
 *   PUBLISHED --hide-----> HIDDEN         PUBLISHED --reject--> REJECTED
 *   PUBLISHED --keep-----> PUBLISHED (closes open flags: "reviewed, kept")
 *   HIDDEN    --restore--> PUBLISHED      REJECTED  --restore-> PUBLISHED
 *   HIDDEN    --reject---> REJECTED
 * Automatic: PUBLISHED -> HIDDEN at N open flags; PUBLISHED -> PENDING when edited under
 * pre-moderation. Appeals: upheld = restore, denied = status unchanged.
 */
export const DECISIONS = ["PUBLISH", "HIDE", "REJECT", "RESTORE", "KEEP"] as const;
export type Decision = (typeof DECISIONS)[number];

const TABLE: Record<Decision, { from: readonly ContributionStatus[]; to: ContributionStatus }> = {
  PUBLISH: { from: ["PENDING"], to: "PUBLISHED" },
  HIDE: { from: ["PUBLISHED"], to: "HIDDEN" },
  REJECT: { from: ["PENDING", "PUBLISHED", "HIDDEN"], to: "REJECTED" },
  RESTORE: { from: ["HIDDEN", "REJECTED"], to: "PUBLISHED" },
  KEEP: { from: ["PUBLISHED"], to: "PUBLISHED" },
};

export function transition(from: ContributionStatus, decision: Decision): ContributionStatus | null {
  const rule = TABLE[decision];
  return rule.from.includes(from) ? rule.to : null;
}

export function allowedDecisions(from: ContributionStatus): Decision[] {
  return DECISIONS.filter((d) => TABLE[d].from.includes(from));
}

/** Decisions that must say why (the author reads the reason). */
export function needsReason(decision: Decision): boolean {
  return decision === "HIDE" || decision === "REJECT";
}

export const DECISION_LABEL: Record<Decision, string> = {
  PUBLISH: "Publish",
  HIDE: "Hide",
  REJECT: "Reject",
  RESTORE: "Restore",
  KEEP: "Reviewed, keep",
};
