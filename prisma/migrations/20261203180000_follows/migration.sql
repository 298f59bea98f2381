-- Follows and what people are told (issue 10): readers follow an article, a paragraph or a thread
-- (posting or replying follows the thread unless they turn that off); the notifier also tells
-- followers of new contributions there, and authors hear of moderators' decisions on their own.
-- Each person chooses which of the three kinds they get.

-- CreateTable
CREATE TABLE "Follow" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "articleId" UUID NOT NULL,
    "target" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Follow_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Follow_target_check" CHECK ("target" = 'article' OR "target" LIKE 'paragraph:%' OR "target" LIKE 'thread:%')
);

-- CreateIndex
CREATE UNIQUE INDEX "Follow_userId_articleId_target_key" ON "Follow"("userId", "articleId", "target");
CREATE INDEX "Follow_articleId_target_idx" ON "Follow"("articleId", "target");

-- AddForeignKey
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: what each person wants to hear of (all on, as before this change for replies).
ALTER TABLE "User" ADD COLUMN "notifyReplies" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "notifyFollowed" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "notifyModeration" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "autoFollow" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable: new kinds, and what a moderation notification is about (the decision).
ALTER TABLE "Notification" DROP CONSTRAINT "Notification_kind_check";
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_kind_check" CHECK ("kind" IN ('REPLY', 'FOLLOWED', 'MODERATION'));
ALTER TABLE "Notification" ADD COLUMN "detail" TEXT;
