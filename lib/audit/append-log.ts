import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ContributionStatus, ModerationAction } from "@/lib/generated/prisma/enums";

export interface LogEntry {
  actorId: string | null;
  action: ModerationAction;
  contributionId?: string;
  targetUserId?: string;
  fromStatus?: ContributionStatus;
  toStatus?: ContributionStatus;
  reason?: string | null;
  details?: Prisma.InputJsonValue;
}

/**
 * The one audit log for every privileged action — moderation decisions, role changes,
 * suspensions, automatic hides, exports — whoever writes it (lib/moderation, lib/users,
 * lib/research, scripts/create-user.mts). The only way rows enter the audit log: inserted in the same transaction as the change
 * they record. There is no update or delete path, and a database trigger refuses both.
 *
 * Each entry also records, read in the same transaction, the actor's role at that moment (a
 * moderator who is later made an admin still shows as a moderator here) and the version of the
 * contribution it concerns (ContributionRevision: the exact text that was decided on).
 */
export async function appendLog(tx: Tx, entries: LogEntry | LogEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const actorIds = [...new Set(list.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
  const contributionIds = [...new Set(list.flatMap((e) => (e.contributionId ? [e.contributionId] : [])))];
  const roles = new Map(
    actorIds.length ? (await tx.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, role: true } })).map((u) => [u.id, u.role]) : [],
  );
  const versions = new Map(
    contributionIds.length
      ? (await tx.contribution.findMany({ where: { id: { in: contributionIds } }, select: { id: true, version: true } })).map((c) => [c.id, c.version])
      : [],
  );
  // Entries written together get consecutive milliseconds, so the log reads in the order
  // things happened (e.g. RESTORE before APPEAL_UPHELD).
  const base = Date.now();
  await tx.moderationLog.createMany({
    data: list.map((e, i) => ({
      createdAt: new Date(base + i),
      actorId: e.actorId,
      actorRole: e.actorId ? (roles.get(e.actorId) ?? null) : null,
      action: e.action,
      contributionId: e.contributionId ?? null,
      targetUserId: e.targetUserId ?? null,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      reason: e.reason ?? null,
      details: e.details,
      contributionVersion: e.contributionId ? (versions.get(e.contributionId) ?? null) : null,
    })),
  });
}
