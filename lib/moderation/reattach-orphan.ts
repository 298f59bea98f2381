import { z } from "zod";
import { appendLog } from "@/lib/audit/append-log";
import { canModerate } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { contributionSelect, toDto, type ContributionDto } from "@/lib/annotations/dto";
import { verifySelector } from "@/lib/annotations/selector";
import { AppError, fieldError, forbidden, notFound } from "@/lib/http/errors";

export const reattachSchema = z.object({
  /** A paragraph of the article's current version. */
  anchorId: z.string().min(1).max(200),
  /** The span of that paragraph the claim is on now (UTF-16 offsets; `exact` must be its text). */
  selector: z.object({
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    exact: z.string().min(1).max(10_000),
  }),
  /** The contribution's version the moderator saw (optimistic concurrency). */
  version: z.number().int().min(1),
  reason: z.string().trim().max(500).optional(),
});
export type ReattachInput = z.infer<typeof reattachSchema>;

/**
 * A moderator puts an orphan (a contribution re-anchoring could not place on the current
 * version, docs/decisions/0029) back on a span of the current text by hand. Its thread (the
 * replies follow their root) moves with it, placed "fuzzy" with score 1 since the current
 * version (the text did change since it was written, and readers are told so), and the
 * current version's anchoring row says the same, so exports see it. Logged as REATTACH with
 * where it was written and where it now sits, in the same transaction. 409 if it is not an
 * orphan any more or changed since the moderator looked.
 */
export async function reattachOrphan(moderator: CurrentUser, id: string, input: ReattachInput): Promise<ContributionDto> {
  if (!canModerate(moderator)) throw forbidden("Only moderators can re-attach contributions.");
  const db = await getDb();
  const c = await db.contribution.findUnique({
    where: { id },
    select: { id: true, articleId: true, authorId: true, parentId: true, placedMethod: true, version: true, anchorId: true, quoteExact: true, startOffset: true, endOffset: true },
  });
  if (!c) throw notFound("Contribution");
  if (c.parentId !== null) throw new AppError("conflict", "A reply follows its thread; re-attach the thread's first contribution.");
  if (c.placedMethod !== "ORPHANED") throw new AppError("conflict", "This contribution is not an orphan (it already sits on the current text).");
  if (c.version !== input.version) throw new AppError("conflict", "This contribution changed since you opened it. Reload and try again.");
  const latest = await db.articleVersion.findFirst({
    where: { articleId: c.articleId },
    orderBy: { number: "desc" },
    select: { id: true, number: true },
  });
  const paragraph = latest && (await db.paragraph.findFirst({ where: { versionId: latest.id, anchorId: input.anchorId }, select: { id: true, text: true } }));
  if (!latest || !paragraph) throw fieldError("anchorId", "Choose a paragraph of the current version.");
  const check = verifySelector(paragraph.text, input.selector);
  if (!check.ok) throw fieldError(check.field, check.message);
  const sel = check.selector;
  const whole = sel.start === 0 && sel.end === paragraph.text.length;
  const placed = {
    placedAnchorId: input.anchorId,
    placedStart: sel.start,
    placedEnd: sel.end,
    placedExact: sel.exact,
    placedPrefix: sel.prefix,
    placedSuffix: sel.suffix,
    placedWhole: whole,
    placedMethod: "FUZZY" as const,
    placedScore: 1,
    placedSince: latest.number,
  };
  const row = await db.$transaction(async (tx) => {
    // The thread moves together; the version check is in the same statement as the change.
    const moved = await tx.contribution.updateMany({ where: { id, version: input.version, placedMethod: "ORPHANED" }, data: { ...placed, version: { increment: 1 } } });
    if (moved.count !== 1) throw new AppError("conflict", "This contribution changed since you opened it. Reload and try again.");
    await tx.contribution.updateMany({ where: { rootId: id }, data: placed });
    await tx.contributionAnchoring.updateMany({
      where: { versionId: latest.id, contributionId: { in: (await tx.contribution.findMany({ where: { OR: [{ id }, { rootId: id }] }, select: { id: true } })).map((r) => r.id) } },
      data: {
        paragraphId: paragraph.id,
        anchorId: input.anchorId,
        startOffset: sel.start,
        endOffset: sel.end,
        quoteExact: sel.exact,
        quotePrefix: sel.prefix,
        quoteSuffix: sel.suffix,
        wholeParagraph: whole,
        method: "FUZZY",
        score: 1,
        sinceVersion: latest.number,
      },
    });
    await appendLog(tx, {
      actorId: moderator.id,
      action: "REATTACH",
      contributionId: id,
      targetUserId: c.authorId,
      reason: input.reason || null,
      details: {
        version: latest.number,
        written: { anchorId: c.anchorId, start: c.startOffset, end: c.endOffset, exact: c.quoteExact },
        placed: { anchorId: input.anchorId, start: sel.start, end: sel.end, exact: sel.exact },
      },
    });
    return tx.contribution.findUniqueOrThrow({ where: { id }, select: contributionSelect });
  });
  return toDto(row, moderator.id);
}
