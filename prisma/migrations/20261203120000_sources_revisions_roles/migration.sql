-- Sources as objects, edit history, and who acted in which role.
--
-- 1. A source link keeps its domain (derived from the URL) and, optionally, a DOI, the address of
--    an archived copy and the passage quoted from the source.
-- 2. ContributionRevision keeps every text a contribution has had. Existing contributions get one
--    row: their current text, as their current version (earlier texts were not kept before this).
-- 3. The audit log records the actor's role at the time and the contribution's version decided on.
--    Existing entries stay as they are (the log is append-only): both columns are null there.

-- AlterTable
ALTER TABLE "Contribution" ADD COLUMN "sourceDomain" TEXT,
ADD COLUMN "sourceDoi" TEXT,
ADD COLUMN "sourceArchiveUrl" TEXT,
ADD COLUMN "sourceQuote" TEXT;

UPDATE "Contribution"
   SET "sourceDomain" = regexp_replace(
         lower(substring("sourceUrl" from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\[[^]]*\]|[^:/?#]*)')),
         '^www\.', '')
 WHERE "sourceUrl" IS NOT NULL;

-- CreateTable
CREATE TABLE "ContributionRevision" (
    "id" UUID NOT NULL,
    "contributionId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "sourceTitle" TEXT,
    "stance" "SourceStance",
    "sourceDoi" TEXT,
    "sourceArchiveUrl" TEXT,
    "sourceQuote" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContributionRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ContributionRevision_contributionId_version_key" ON "ContributionRevision"("contributionId", "version");

-- AddForeignKey
ALTER TABLE "ContributionRevision" ADD CONSTRAINT "ContributionRevision_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "ContributionRevision" (id, "contributionId", version, body, "sourceUrl", "sourceTitle", stance, "createdAt")
SELECT gen_random_uuid(), c.id, c.version, c.body, c."sourceUrl", c."sourceTitle", c.stance, COALESCE(c."editedAt", c."createdAt")
  FROM "Contribution" c;

-- AlterTable
ALTER TABLE "ModerationLog" ADD COLUMN "actorRole" "Role",
ADD COLUMN "contributionVersion" INTEGER;
