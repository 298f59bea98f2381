import type { CurrentUser } from "@/lib/auth/session";
import { canModerate } from "@/lib/auth/permissions";
import { appendLog, type LogEntry } from "@/lib/audit/append-log";
import { getDb } from "@/lib/db/client";
import type { ContributionStatus, ModerationAction } from "@/lib/generated/prisma/enums";
import { AppError, forbidden, notFound } from "@/lib/http/errors";
import type { UndoState } from "./decide";
import { notifyModeration } from "@/lib/notifications/notify-moderation";

/** How long a decision can be taken back (docs/decisions/0037-undo-last-decision.md). */
export const UNDO_WINDOW_MS = 30 * 60_000;

export interface UndoResult {
  id: string;
  status: ContributionStatus;
  version: number;
}

interface DecisionEntry {
  id: string;
  contributionId: string;
  targetUserId: string | null;
  action: ModerationAction;
  fromStatus: ContributionStatus;
  toStatus: ContributionStatus;
  contributionVersion: number | null;
  createdAt: Date;
  undo: UndoState;
}

/**
 * Takes back a moderator's last decision (one call of decide or decideAppeal, however many
 * contributions it covered), all or nothing, within UNDO_WINDOW_MS: each contribution gets its
 * status, reason and place in the queue back, and the reports and appeal the decision closed are
 * open again. Refused (409) when it is not the moderator's last decision, was undone already, is
 * too old, or a contribution changed since (edited, decided again): undo never overwrites what
 * happened after. The decision's entries stay in the audit log; UNDO entries are added.
 */
export async function undoDecision(moderator: CurrentUser, batch: string): Promise<UndoResult[]> {
  if (!canModerate(moderator)) throw forbidden("Only moderators can undo decisions.");
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const entries = await tx.$queryRaw<DecisionEntry[]>`
      SELECT id::text, "contributionId"::text AS "contributionId", "targetUserId"::text AS "targetUserId", action, "fromStatus", "toStatus",
             "contributionVersion", "createdAt", details->'undo' AS undo
      FROM "ModerationLog"
      WHERE "actorId" = ${moderator.id}::uuid AND details->'undo'->>'batch' = ${batch}
      ORDER BY "createdAt"`;
    if (entries.length === 0) throw notFound("Decision");
    const last = entries[entries.length - 1]!.createdAt;
    const [undone] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "ModerationLog" WHERE action = 'UNDO' AND details->>'undoes' = ${batch}`;
    if (undone!.n > 0) throw new AppError("stale", "This decision was already undone.");
    const [later] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "ModerationLog"
      WHERE "actorId" = ${moderator.id}::uuid AND "createdAt" > ${last} AND details->'undo' IS NOT NULL`;
    if (later!.n > 0) throw new AppError("stale", "Only your last decision can be undone.");
    if (Date.now() - last.getTime() > UNDO_WINDOW_MS) {
      throw new AppError("stale", `A decision can be undone for ${UNDO_WINDOW_MS / 60_000} minutes; this one is older.`);
    }

    const ids = entries.map((e) => e.contributionId);
    const rows = await tx.$queryRaw<{ id: string; version: number; deletedAt: Date | null; queuedAt: Date | null }[]>`
      SELECT id::text, version, "deletedAt", "queuedAt" FROM "Contribution" WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const changed = entries.filter((e) => {
      const r = byId.get(e.contributionId);
      return !r || r.deletedAt !== null || r.version !== e.contributionVersion;
    });
    if (changed.length) {
      throw new AppError(
        "stale",
        entries.length === 1
          ? "This contribution changed after your decision (edited, deleted or decided again), so it cannot be undone."
          : `${changed.length} of ${entries.length} contributions changed after your decision, so nothing was undone.`,
      );
    }

    const log: LogEntry[] = [];
    const results: UndoResult[] = [];
    for (const e of entries) {
      const r = byId.get(e.contributionId)!;
      if (e.undo.flagIds.length) {
        await tx.flag.updateMany({ where: { id: { in: e.undo.flagIds } }, data: { status: "OPEN", resolvedAt: null, resolvedById: null } });
      }
      if (e.undo.appealId) {
        await tx.appeal.update({ where: { id: e.undo.appealId }, data: { status: "OPEN", decidedAt: null, decidedById: null } });
      }
      const open = await tx.flag.count({ where: { contributionId: e.contributionId, status: "OPEN" } });
      // Back in the queue where it was (or earlier, if a report since put it back already).
      const was = e.undo.queuedAt ? new Date(e.undo.queuedAt) : null;
      const queuedAt = was && r.queuedAt ? (was < r.queuedAt ? was : r.queuedAt) : (was ?? r.queuedAt);
      await tx.contribution.update({
        where: { id: e.contributionId },
        data: { status: e.fromStatus, version: { increment: 1 }, moderationReason: e.undo.moderationReason, openFlagCount: open, queuedAt },
      });
      results.push({ id: e.contributionId, status: e.fromStatus, version: r.version + 1 });
      log.push({
        actorId: moderator.id,
        action: "UNDO",
        contributionId: e.contributionId,
        targetUserId: e.targetUserId ?? undefined,
        fromStatus: e.toStatus,
        toStatus: e.fromStatus,
        details: { undoes: batch, action: e.action, entryId: e.id },
      });
    }
    await appendLog(tx, log);
    // Authors who were told of the decision hear that it was taken back ("reviewed, kept" told nobody).
    await notifyModeration(tx, entries.filter((e) => e.action !== "KEEP").map((e) => ({ contributionId: e.contributionId, outcome: "UNDONE" as const })));
    return results;
  });
}
