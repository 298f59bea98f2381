import { canContribute } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { autoFollowThread } from "@/lib/follows/auto-follow";
import { AppError, notFound, unauthenticated } from "@/lib/http/errors";
import { authoredFields } from "./create-contribution";
import { contributionSelect, toDto, type ContributionDto } from "./dto";
import { copyPlacement, placementSelect } from "./placement";
import type { CreateReplyInput } from "./schemas";

/**
 * Answers a published contribution. The reply is a contribution on the same claim (paragraph,
 * quote, offsets), one level deeper, in the same thread (rootId: the thread's top-level one);
 * everything else — body rules, moderation policy, edits, flags — is a contribution's.
 */
export async function createReply(user: CurrentUser, parentId: string, input: CreateReplyInput): Promise<ContributionDto> {
  if (!canContribute(user)) throw unauthenticated();
  const db = await getDb();
  const parent = await db.contribution.findUnique({
    where: { id: parentId },
    select: {
      id: true,
      status: true,
      deletedAt: true,
      rootId: true,
      depth: true,
      articleId: true,
      articleVersionId: true,
      paragraphId: true,
      anchorId: true,
      quoteExact: true,
      quotePrefix: true,
      quoteSuffix: true,
      startOffset: true,
      endOffset: true,
      wholeParagraph: true,
      ...placementSelect,
      authorId: true,
      article: { select: { moderationPolicy: true } },
    },
  });
  // What the replier cannot read does not exist for them; what they can read but not answer is a 409.
  if (!parent || (parent.status !== "PUBLISHED" && parent.authorId !== user.id)) throw notFound("Contribution");
  if (parent.deletedAt) throw new AppError("conflict", "This contribution was deleted by its author; it can no longer be answered.");
  if (parent.status !== "PUBLISHED") throw new AppError("conflict", "Only a published contribution can be answered.");
  // The reply and, in the same transaction, its author following the thread.
  const [row] = await db.$transaction([
    db.contribution.create({
    data: {
      ...authoredFields(input, parent.article.moderationPolicy === "PRE_MODERATION"),
      articleId: parent.articleId,
      articleVersionId: parent.articleVersionId,
      paragraphId: parent.paragraphId,
      anchorId: parent.anchorId,
      quoteExact: parent.quoteExact,
      quotePrefix: parent.quotePrefix,
      quoteSuffix: parent.quoteSuffix,
      startOffset: parent.startOffset,
      endOffset: parent.endOffset,
      wholeParagraph: parent.wholeParagraph,
      ...copyPlacement(parent),
      parentId: parent.id,
      rootId: parent.rootId ?? parent.id,
      depth: parent.depth + 1,
      authorId: user.id,
    },
    select: contributionSelect,
    }),
    autoFollowThread(db, user.id, parent.articleId, parent.rootId ?? parent.id),
  ]);
  return toDto(row, user.id);
}
