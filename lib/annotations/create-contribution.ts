import { canContribute } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { autoFollowThread } from "@/lib/follows/auto-follow";
import { AppError, fieldError, notFound, unauthenticated } from "@/lib/http/errors";
import { contributionSelect, toDto, type ContributionDto } from "./dto";
import { ownPlacement } from "./placement";
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
  const asked = await db.paragraph.findFirst({
    where: { anchorId: input.anchorId, versionId: input.versionId, version: { article: { slug } } },
    select: { id: true, version: { select: { articleId: true } } },
  });
  if (!asked) throw notFound("Paragraph");
  // Written on the current version only (its placement is its own claim). A page opened before the
  // article was revised may still post where the paragraph is the same on the current version (the
  // same anchor id is the same text); where it changed, the author is told to reload, and the form
  // keeps what they wrote.
  const paragraph = await db.paragraph.findFirst({
    where: { anchorId: input.anchorId, version: { articleId: asked.version.articleId } },
    orderBy: { version: { number: "desc" } },
    select: {
      id: true,
      text: true,
      versionId: true,
      version: { select: { number: true, articleId: true, article: { select: { moderationPolicy: true } } } },
    },
  });
  const latest = await db.articleVersion.findFirst({
    where: { articleId: asked.version.articleId },
    orderBy: { number: "desc" },
    select: { id: true },
  });
  if (!paragraph || paragraph.versionId !== latest?.id) {
    throw new AppError(
      "conflict",
      "The article was revised since this page was opened, and this paragraph changed. Reload the page to respond to the current text; copy your draft first.",
    );
  }
  const check = verifySelector(paragraph.text, input.selector);
  if (!check.ok) {
    throw fieldError(check.field, check.message);
  }
  const sel = check.selector;
  const whole = sel.start === 0 && sel.end === paragraph.text.length;
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
      wholeParagraph: whole,
      ...ownPlacement(input.anchorId, sel, whole, paragraph.version.number),
      authorId: user.id,
    },
    select: contributionSelect,
    }),
    autoFollowThread(db, user.id, paragraph.version.articleId, id),
  ]);
  return toDto(row, user.id);
}
