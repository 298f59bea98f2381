import { canContribute } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { autoFollowThread } from "@/lib/follows/auto-follow";
import { AppError, fieldError, notFound, unauthenticated } from "@/lib/http/errors";
import { contributionSelect, toDto, type ContributionDto } from "./dto";
import type { CreateContributionInput } from "./schemas";
import { verifySelector } from "./selector";
import { revisionColumns, sourceColumns } from "./source-link";

/**
 * What the author wrote, and where it starts: held for review (pending, queued) on a
 * pre-moderated article, else published; recorded as revision 1 of its edit history (same
 * statement). Shared by new contributions and replies.
 */
export function authoredFields(input: Pick<CreateContributionInput, "kind" | "body" | "source">, preModerated: boolean) {
  return {
    status: preModerated ? ("PENDING" as const) : ("PUBLISHED" as const),
    queuedAt: preModerated ? new Date() : null,
    kind: input.kind,
    body: input.body,
    ...sourceColumns(input.source),
    revisions: { create: revisionColumns(input.body, input.source, 1) },
  };
}

/** Attaches an annotation, counterpoint or source link to a claim in one paragraph. */
export async function createContribution(
  user: CurrentUser,
  slug: string,
  input: CreateContributionInput,
): Promise<ContributionDto> {
  if (!canContribute(user)) throw unauthenticated();
  const db = await getDb();
  const paragraph = await db.paragraph.findFirst({
    where: { anchorId: input.anchorId, versionId: input.versionId, version: { article: { slug } } },
    select: {
      id: true,
      text: true,
      versionId: true,
      version: { select: { articleId: true, article: { select: { moderationPolicy: true } } } },
    },
  });
  if (!paragraph) throw notFound("Paragraph");
  const check = verifySelector(paragraph.text, input.selector);
  if (!check.ok) {
    throw fieldError(check.field, check.message);
  }
  const sel = check.selector;
  // Pre-moderated articles hold new contributions for review (visible to the author only).
  const pre = paragraph.version.article.moderationPolicy === "PRE_MODERATION";
  // The new contribution and, in the same transaction, its author following its thread.
  const id = randomUUID();
  const [row] = await db.$transaction([
    db.contribution.create({
    data: {
      id,
      ...authoredFields(input, pre),
      articleId: paragraph.version.articleId,
      articleVersionId: paragraph.versionId,
      paragraphId: paragraph.id,
      anchorId: input.anchorId,
      quoteExact: sel.exact,
      quotePrefix: sel.prefix,
      quoteSuffix: sel.suffix,
      startOffset: sel.start,
      endOffset: sel.end,
      wholeParagraph: sel.start === 0 && sel.end === paragraph.text.length,
      authorId: user.id,
    },
    select: contributionSelect,
    }),
    autoFollowThread(db, user.id, paragraph.version.articleId, id),
  ]);
  return toDto(row, user.id);
}
