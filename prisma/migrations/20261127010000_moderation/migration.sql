-- CreateEnum
CREATE TYPE "ModerationPolicy" AS ENUM ('POST_MODERATION', 'PRE_MODERATION');

-- CreateEnum
CREATE TYPE "FlagReason" AS ENUM ('SPAM', 'HARASSMENT', 'OFF_TOPIC', 'MISINFORMATION', 'OTHER');

-- CreateEnum
CREATE TYPE "FlagStatus" AS ENUM ('OPEN', 'RESOLVED');

-- CreateEnum
CREATE TYPE "AppealStatus" AS ENUM ('OPEN', 'UPHELD', 'DENIED');

-- CreateEnum
CREATE TYPE "ModerationAction" AS ENUM ('FLAG', 'APPEAL', 'PUBLISH', 'HIDE', 'REJECT', 'RESTORE', 'KEEP', 'AUTO_HIDE', 'REQUEUE_EDIT', 'APPEAL_UPHELD', 'APPEAL_DENIED', 'ROLE_CHANGE', 'SUSPEND', 'UNSUSPEND');

-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "moderationPolicy" "ModerationPolicy" NOT NULL DEFAULT 'POST_MODERATION';

-- AlterTable
ALTER TABLE "Contribution" ADD COLUMN     "editedAt" TIMESTAMPTZ(3),
ADD COLUMN     "moderationReason" TEXT,
ADD COLUMN     "openFlagCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "queuedAt" TIMESTAMPTZ(3);

-- Contributions edited before this migration: their version counted only edits.
UPDATE "Contribution" SET "editedAt" = "updatedAt" WHERE "version" > 1;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "suspendedUntil" TIMESTAMPTZ(3),
ADD COLUMN     "suspensionReason" TEXT;

-- CreateTable
CREATE TABLE "Flag" (
    "id" UUID NOT NULL,
    "contributionId" UUID NOT NULL,
    "reporterId" UUID NOT NULL,
    "reason" "FlagReason" NOT NULL,
    "note" TEXT,
    "status" "FlagStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedById" UUID,

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Appeal" (
    "id" UUID NOT NULL,
    "contributionId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "note" TEXT NOT NULL,
    "status" "AppealStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMPTZ(3),
    "decidedById" UUID,

    CONSTRAINT "Appeal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModerationLog" (
    "id" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "action" "ModerationAction" NOT NULL,
    "contributionId" UUID,
    "targetUserId" UUID,
    "fromStatus" "ContributionStatus",
    "toStatus" "ContributionStatus",
    "reason" TEXT,
    "details" JSONB,

    CONSTRAINT "ModerationLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE INDEX "User_createdAt_idx" ON "User"("createdAt");

-- CreateIndex
CREATE INDEX "Contribution_queuedAt_idx" ON "Contribution"("queuedAt");

-- CreateIndex
CREATE INDEX "Contribution_status_createdAt_idx" ON "Contribution"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Flag_contributionId_status_idx" ON "Flag"("contributionId", "status");

-- CreateIndex
CREATE INDEX "Flag_reporterId_createdAt_idx" ON "Flag"("reporterId", "createdAt");

-- CreateIndex
CREATE INDEX "Flag_createdAt_idx" ON "Flag"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Flag_contributionId_reporterId_key" ON "Flag"("contributionId", "reporterId");

-- CreateIndex
CREATE UNIQUE INDEX "Appeal_contributionId_key" ON "Appeal"("contributionId");

-- CreateIndex
CREATE INDEX "Appeal_status_createdAt_idx" ON "Appeal"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ModerationLog_createdAt_id_idx" ON "ModerationLog"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ModerationLog_contributionId_createdAt_idx" ON "ModerationLog"("contributionId", "createdAt");

-- CreateIndex
CREATE INDEX "ModerationLog_actorId_createdAt_idx" ON "ModerationLog"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "ModerationLog_action_createdAt_idx" ON "ModerationLog"("action", "createdAt");

-- CreateIndex
CREATE INDEX "ModerationLog_targetUserId_createdAt_idx" ON "ModerationLog"("targetUserId", "createdAt");

-- CreateIndex
CREATE INDEX "RateLimitBucket_expiresAt_idx" ON "RateLimitBucket"("expiresAt");

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appeal" ADD CONSTRAINT "Appeal_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appeal" ADD CONSTRAINT "Appeal_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appeal" ADD CONSTRAINT "Appeal_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationLog" ADD CONSTRAINT "ModerationLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationLog" ADD CONSTRAINT "ModerationLog_targetUserId_fkey" FOREIGN KEY ("targetUserId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationLog" ADD CONSTRAINT "ModerationLog_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only: refuse UPDATE, DELETE and TRUNCATE at the database.
CREATE FUNCTION "moderation_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ModerationLog is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "ModerationLog_no_update_delete" BEFORE UPDATE OR DELETE ON "ModerationLog"
  FOR EACH ROW EXECUTE FUNCTION "moderation_log_append_only"();

CREATE TRIGGER "ModerationLog_no_truncate" BEFORE TRUNCATE ON "ModerationLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "moderation_log_append_only"();
