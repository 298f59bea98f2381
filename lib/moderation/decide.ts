import { randomUUID } from "node:crypto";
import type { CurrentUser } from "@/lib/auth/session";
import { canModerate } from "@/lib/auth/permissions";
import { getDb, type Tx } from "@/lib/db/client";
import type { ContributionStatus } from "@/lib/generated/prisma/enums";
import { AppError, fieldError, forbidden, notFound } from "@/lib/http/errors";
import { appendLog, type LogEntry } from "@/lib/audit/append-log";
import { notifyModeration, type ModerationOutcome } from "@/lib/notifications/notify-moderation";
import { needsReason, transition, type Decision } from "./status-machine";

export interface DecisionItem {
  id: string;
  /** The contribution version the moderator saw. */
  version: number;
}

export interface StaleItem {
  id: string;
  reason: "changed" | "not_allowed" | "missing";
  current?: { status: ContributionStatus; version: number; openFlagCount: number };
}

export interface DecisionResult {
  id: string;
  fromStatus: ContributionStatus;
  toStatus: ContributionStatus;
  version: number;
  /** The decision as a whole (one per call, however many items): what undoDecision takes back. */
  batch: string;
}

/** What a decision's audit entry keeps so that undoDecision can put the contribution back exactly. */
export interface UndoState {
  batch: string;
  queuedAt: string | null;
  moderationReason: string | null;
  openFlagCount: number;
  /** The reports and the appeal this decision closed. */
  flagIds: string[];
  appealId: string | null;
}

/**
 * Applies one decision to one or many contributions, all or nothing: if any item changed
 * since the moderator saw it (version), or the decision is not allowed from its status now,
 * nothing is applied and the answer is 409 with the current state of each such item.
 * Open flags are closed by every decision; an open appeal is decided by restore (upheld)
 * or by hide/reject/keep (denied).
 */
export async function decide(
  moderator: CurrentUser,
  decision: Decision,
  items: DecisionItem[],
  reason: string | null,
): Promise<DecisionResult[]> {
  if (!canModerate(moderator)) throw forbidden("Only moderators can decide on contributions.");
  if (needsReason(decision) && !reason?.trim()) {
    throw fieldError("reason", "is required for this decision", { summary: "reason: say why; the author will read it" });
  }
  const ids = [...new Set(items.map((i) => i.id))];
  if (ids.length !== items.length) throw fieldError("items", "each contribution may appear once");
  const db = await getDb();
  return db.$transaction(async (tx) => {
    // Lock the rows so two moderators deciding at once are serialised; the loser sees 409.
    const rows = await tx.$queryRaw<LockedRow[]>`
      SELECT id, "authorId", status, version, "openFlagCount", "deletedAt", "queuedAt", "moderationReason" FROM "Contribution"
      WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const stale: StaleItem[] = [];
    for (const item of items) {
      const row = byId.get(item.id);
      if (!row || row.deletedAt) stale.push({ id: item.id, reason: "missing" });
      else if (row.version !== item.version)
        stale.push({ id: item.id, reason: "changed", current: { status: row.status, version: row.version, openFlagCount: row.openFlagCount } });
      else if (!transition(row.status, decision))
        stale.push({ id: item.id, reason: "not_allowed", current: { status: row.status, version: row.version, openFlagCount: row.openFlagCount } });
    }
    if (stale.length) {
      if (items.length === 1 && stale[0]!.reason === "missing") throw notFound("Contribution");
      throw new AppError(
        "stale",
        stale.length === 1 && items.length === 1
          ? "This contribution changed since you loaded it. Its current state is shown; decide again."
          : `${stale.length} of ${items.length} contributions changed since you loaded them. Nothing was applied; reload and decide again.`,
        { current: stale },
      );
    }
    return applyDecisions(tx, moderator.id, decision, items.map((i) => byId.get(i.id)!), reason);
  }, { timeout: 60_000, maxWait: 10_000 });
}

interface LockedRow {
  id: string;
  authorId: string;
  status: ContributionStatus;
  version: number;
  openFlagCount: number;
  deletedAt: Date | null;
  queuedAt: Date | null;
  moderationReason: string | null;
}

/**
 * Applies one decision to many locked rows in a constant number of statements (a bulk
 * decision of 500 is one update, not 500), whatever the selection's size.
 */
async function applyDecisions(
  tx: Tx,
  actorId: string,
  decision: Decision,
  rows: LockedRow[],
  reason: string | null,
): Promise<DecisionResult[]> {
  const now = new Date();
  const batch = randomUUID();
  const ids = rows.map((r) => r.id);
  const closedFlags = await tx.flag.findMany({ where: { contributionId: { in: ids }, status: "OPEN" }, select: { id: true, contributionId: true } });
  const to = transition(rows[0]!.status, decision)!; // every decision leads to one status
  await tx.contribution.updateMany({
    where: { id: { in: ids } },
    data: {
      status: to,
      version: { increment: 1 },
      queuedAt: null,
      openFlagCount: 0,
      moderationReason: to === "HIDDEN" || to === "REJECTED" ? reason : null,
    },
  });
  await tx.flag.updateMany({
    where: { contributionId: { in: ids }, status: "OPEN" },
    data: { status: "RESOLVED", resolvedAt: now, resolvedById: actorId },
  });
  const openAppeals = await tx.appeal.findMany({
    where: { contributionId: { in: ids }, status: "OPEN" },
    select: { id: true, contributionId: true },
  });
  const upheld = decision === "RESTORE" || decision === "PUBLISH";
  if (openAppeals.length) {
    await tx.appeal.updateMany({
      where: { id: { in: openAppeals.map((a) => a.id) } },
      data: { status: upheld ? "UPHELD" : "DENIED", decidedAt: now, decidedById: actorId },
    });
  }
  const appealed = new Set(openAppeals.map((a) => a.contributionId));
  const entries: LogEntry[] = [];
  for (const r of rows) {
    const base = { actorId, contributionId: r.id, targetUserId: r.authorId, fromStatus: r.status, toStatus: to, reason };
    const undo: UndoState = {
      batch,
      queuedAt: r.queuedAt?.toISOString() ?? null,
      moderationReason: r.moderationReason,
      openFlagCount: r.openFlagCount,
      flagIds: closedFlags.filter((f) => f.contributionId === r.id).map((f) => f.id),
      appealId: openAppeals.find((a) => a.contributionId === r.id)?.id ?? null,
    };
    entries.push({ ...base, action: decision, details: { undo: { ...undo } } });
    if (appealed.has(r.id)) entries.push({ ...base, action: upheld ? "APPEAL_UPHELD" : "APPEAL_DENIED", details: { batch } });
  }
  await appendLog(tx, entries);
  // The authors hear of it (a review that keeps a contribution as it was is no news to them).
  if (decision !== "KEEP") {
    await notifyModeration(
      tx,
      rows.map((r): { contributionId: string; outcome: ModerationOutcome } => ({
        contributionId: r.id,
        outcome: appealed.has(r.id) ? (upheld ? "APPEAL_UPHELD" : "APPEAL_DENIED") : decision,
      })),
    );
  }
  return rows.map((r) => ({ id: r.id, fromStatus: r.status, toStatus: to, version: r.version + 1, batch }));
}
