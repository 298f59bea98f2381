-- Server-side re-anchoring (docs/decisions/0029-server-side-reanchoring.md): where every
-- contribution sits on each later version of its article, and what became of each paragraph.

-- CreateEnum
CREATE TYPE "AnchoringMethod" AS ENUM ('EXACT', 'FUZZY', 'ORPHANED');

-- CreateEnum
CREATE TYPE "ParagraphChange" AS ENUM ('UNCHANGED', 'MOVED', 'EDITED', 'SPLIT', 'MERGED', 'DELETED');

-- CreateTable
CREATE TABLE "ContributionAnchoring" (
    "id" UUID NOT NULL,
    "contributionId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "paragraphId" UUID,
    "anchorId" TEXT,
    "startOffset" INTEGER,
    "endOffset" INTEGER,
    "quoteExact" TEXT,
    "quotePrefix" TEXT,
    "quoteSuffix" TEXT,
    "wholeParagraph" BOOLEAN NOT NULL DEFAULT false,
    "method" "AnchoringMethod" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "sinceVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContributionAnchoring_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParagraphLineage" (
    "id" UUID NOT NULL,
    "fromParagraphId" UUID NOT NULL,
    "toParagraphId" UUID,
    "toVersionId" UUID NOT NULL,
    "kind" "ParagraphChange" NOT NULL,
    "similarity" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ParagraphLineage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ContributionAnchoring_contributionId_versionId_key" ON "ContributionAnchoring"("contributionId", "versionId");

-- CreateIndex
CREATE INDEX "ContributionAnchoring_versionId_anchorId_idx" ON "ContributionAnchoring"("versionId", "anchorId");

-- CreateIndex
CREATE INDEX "ContributionAnchoring_versionId_method_idx" ON "ContributionAnchoring"("versionId", "method");

-- CreateIndex
CREATE INDEX "ContributionAnchoring_paragraphId_idx" ON "ContributionAnchoring"("paragraphId");

-- CreateIndex
CREATE UNIQUE INDEX "ParagraphLineage_fromParagraphId_toParagraphId_key" ON "ParagraphLineage"("fromParagraphId", "toParagraphId");

-- CreateIndex
CREATE INDEX "ParagraphLineage_toParagraphId_idx" ON "ParagraphLineage"("toParagraphId");

-- CreateIndex
CREATE INDEX "ParagraphLineage_toVersionId_idx" ON "ParagraphLineage"("toVersionId");

-- AddForeignKey
ALTER TABLE "ContributionAnchoring" ADD CONSTRAINT "ContributionAnchoring_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionAnchoring" ADD CONSTRAINT "ContributionAnchoring_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ArticleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionAnchoring" ADD CONSTRAINT "ContributionAnchoring_paragraphId_fkey" FOREIGN KEY ("paragraphId") REFERENCES "Paragraph"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParagraphLineage" ADD CONSTRAINT "ParagraphLineage_fromParagraphId_fkey" FOREIGN KEY ("fromParagraphId") REFERENCES "Paragraph"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParagraphLineage" ADD CONSTRAINT "ParagraphLineage_toParagraphId_fkey" FOREIGN KEY ("toParagraphId") REFERENCES "Paragraph"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParagraphLineage" ADD CONSTRAINT "ParagraphLineage_toVersionId_fkey" FOREIGN KEY ("toVersionId") REFERENCES "ArticleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
