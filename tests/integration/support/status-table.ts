import type { ContributionStatus } from "@/lib/generated/prisma/enums";
import type { Decision } from "@/lib/moderation/status-machine";

/**
 * The product's moderation rules, written out cell by cell (null = refused with 409), for the
 * unit test of lib/moderation/status-machine.ts and the integration test through decide().
 * Adding a status or a decision without deciding its rules here fails both.
 */
export const EXPECTED_TRANSITIONS: Record<ContributionStatus, Record<Decision, ContributionStatus | null>> = {
  PENDING: { PUBLISH: "PUBLISHED", HIDE: null, REJECT: "REJECTED", RESTORE: null, KEEP: null },
  PUBLISHED: { PUBLISH: null, HIDE: "HIDDEN", REJECT: "REJECTED", RESTORE: null, KEEP: "PUBLISHED" },
  HIDDEN: { PUBLISH: null, HIDE: null, REJECT: "REJECTED", RESTORE: "PUBLISHED", KEEP: null },
  REJECTED: { PUBLISH: null, HIDE: null, REJECT: null, RESTORE: "PUBLISHED", KEEP: null },
};
