import { canEditContribution } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { AppError, fieldError } from "@/lib/http/errors";
import { contributionSelect, toDto, type ContributionDto } from "./dto";
import { findForChange } from "./find-own-contribution";
import { appendLog } from "@/lib/audit/append-log";
import type { UpdateContributionInput } from "./schemas";
import { revisionColumns, sourceColumns } from "./source-link";

/**
 * Edits the body (and, for a source link, its URL, title, stance, DOI, archived copy and quoted
 * passage). Optimistic: 409 when stale. Every edit adds a revision, so the history is kept.
 */
export async function updateContribution(
  user: CurrentUser,
  id: string,
  input: UpdateContributionInput,
): Promise<ContributionDto> {
  const db = await getDb();
  const current = await findForChange(db, user, id, input.version, canEditContribution);
  if (current.kind === "SOURCE" && !input.source) {
    throw fieldError("source", "a source link needs a URL and a stance");
  }
  if (current.kind !== "SOURCE" && input.source) {
    throw fieldError("source", "only source links carry a URL");
  }
  // Under pre-moderation an edit to a published contribution sends it back for review.
  const article = await db.article.findUnique({ where: { id: current.articleId }, select: { moderationPolicy: true } });
  const requeue = article?.moderationPolicy === "PRE_MODERATION" && current.status === "PUBLISHED";
  // The version check and the write are one statement: two concurrent edits cannot both win.
  const res = await db.$transaction(async (tx) => {
    const r = await tx.contribution.updateMany({
      where: { id, version: input.version, deletedAt: null },
      data: {
        body: input.body,
        ...(input.source ? sourceColumns(input.source) : {}),
        ...(requeue ? { status: "PENDING" as const, queuedAt: new Date() } : {}),
        editedAt: new Date(),
        version: { increment: 1 },
      },
    });
    if (r.count === 1) {
      await tx.contributionRevision.create({
        data: { contributionId: id, ...revisionColumns(input.body, input.source, input.version + 1) },
      });
    }
    if (r.count === 1 && requeue) {
      await appendLog(tx, {
        actorId: null,
        action: "REQUEUE_EDIT",
        contributionId: id,
        targetUserId: user.id,
        fromStatus: "PUBLISHED",
        toStatus: "PENDING",
        reason: "Edited on a pre-moderated article",
      });
    }
    return r;
  });
  if (res.count === 0) {
    const now = await db.contribution.findUnique({ where: { id }, select: contributionSelect });
    throw new AppError("stale", "This contribution was changed since you loaded it. Review the current text and try again.", {
      current: now ? toDto(now, user.id) : undefined,
    });
  }
  const row = await db.contribution.findUniqueOrThrow({ where: { id }, select: contributionSelect });
  return toDto(row, user.id);
}
