-- Email digests of unread notifications (issue 10): daily or weekly, per person. "digestEmails"
-- stays the on/off switch that the one-click unsubscribe turns off; "digestFrequency" says how often
-- when on; "lastDigestAt" is when the last one was queued (the next is due a day or a week later).

-- AlterTable
ALTER TABLE "User" ADD COLUMN "digestFrequency" TEXT NOT NULL DEFAULT 'WEEKLY',
ADD COLUMN "lastDigestAt" TIMESTAMPTZ(3),
ADD CONSTRAINT "User_digestFrequency_check" CHECK ("digestFrequency" IN ('DAILY', 'WEEKLY'));

-- CreateIndex: unread notifications of one person since a time (the digest's query).
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");
