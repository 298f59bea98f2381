-- In-app notifications (issue 10, first part): "someone replied to you". Made from the live events
-- (ArticleEvent) by a background notifier that any instance may run: an advisory lock lets one at a
-- time work, and NotifierCursor (read and advanced in the same transaction as the inserts) makes each
-- event count once. One row per person and reply (unique), so a replay or a restore adds nothing.

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "contributionId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Notification_kind_check" CHECK ("kind" IN ('REPLY'))
);

-- CreateTable
CREATE TABLE "NotifierCursor" (
    "name" TEXT NOT NULL,
    "lastEventId" BIGINT NOT NULL,

    CONSTRAINT "NotifierCursor_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_contributionId_kind_key" ON "Notification"("userId", "contributionId", "kind");
CREATE INDEX "Notification_userId_createdAt_id_idx" ON "Notification"("userId", "createdAt" DESC, "id" DESC);
CREATE INDEX "Notification_contributionId_idx" ON "Notification"("contributionId");

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Events from before this migration are history: the notifier starts after them.
INSERT INTO "NotifierCursor" ("name", "lastEventId") SELECT 'replies', COALESCE(max(id), 0) FROM "ArticleEvent";
