-- Ratings and the bridging ranking (docs/decisions/0026-bridging-ranking.md).

-- CreateEnum
CREATE TYPE "RatingValue" AS ENUM ('HELPFUL', 'SOMEWHAT_HELPFUL', 'NOT_HELPFUL');

-- CreateEnum
CREATE TYPE "RankingStatus" AS ENUM ('NEEDS_MORE_RATINGS', 'RATED', 'HELPFUL');

-- CreateTable
CREATE TABLE "Rating" (
    "id" UUID NOT NULL,
    "contributionId" UUID NOT NULL,
    "raterId" UUID NOT NULL,
    "value" "RatingValue" NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id"),
    -- The reasons come from a fixed list (lib/ranking/config.ts RATING_TAGS), each at most once.
    CONSTRAINT "Rating_tags_known" CHECK ("tags" <@ ARRAY['CITES_GOOD_SOURCES', 'ADDRESSES_THE_CLAIM', 'CLEAR', 'MISLEADING', 'OFF_TOPIC', 'ARGUMENTATIVE']::TEXT[])
);

-- CreateTable
CREATE TABLE "ScoringRun" (
    "id" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3) NOT NULL,
    "trigger" TEXT NOT NULL,
    "ratingsCount" INTEGER NOT NULL,
    "ratingsFitted" INTEGER NOT NULL,
    "ratersFitted" INTEGER NOT NULL,
    "ratersExcluded" INTEGER NOT NULL,
    "itemsScored" INTEGER NOT NULL,
    "helpfulCount" INTEGER NOT NULL,
    "iterations" INTEGER NOT NULL,
    "converged" BOOLEAN NOT NULL,
    "mu" DOUBLE PRECISION NOT NULL,
    "rmse" DOUBLE PRECISION NOT NULL,
    "parameters" JSONB NOT NULL,

    CONSTRAINT "ScoringRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContributionScore" (
    "contributionId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "intercept" DOUBLE PRECISION NOT NULL,
    "factor" DOUBLE PRECISION NOT NULL,
    "ratingCount" INTEGER NOT NULL,
    "fitRatingCount" INTEGER NOT NULL,
    "status" "RankingStatus" NOT NULL,
    "scoredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ContributionScore_pkey" PRIMARY KEY ("contributionId")
);

-- CreateTable
CREATE TABLE "ContributionScoreHistory" (
    "runId" UUID NOT NULL,
    "contributionId" UUID NOT NULL,
    "intercept" DOUBLE PRECISION NOT NULL,
    "factor" DOUBLE PRECISION NOT NULL,
    "ratingCount" INTEGER NOT NULL,
    "fitRatingCount" INTEGER NOT NULL,
    "status" "RankingStatus" NOT NULL,
    "scoredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ContributionScoreHistory_pkey" PRIMARY KEY ("runId","contributionId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Rating_contributionId_raterId_key" ON "Rating"("contributionId", "raterId");

-- CreateIndex
CREATE INDEX "Rating_raterId_idx" ON "Rating"("raterId");

-- CreateIndex
CREATE INDEX "Rating_updatedAt_idx" ON "Rating"("updatedAt");

-- CreateIndex
CREATE INDEX "ScoringRun_finishedAt_idx" ON "ScoringRun"("finishedAt" DESC);

-- CreateIndex
CREATE INDEX "ContributionScore_runId_idx" ON "ContributionScore"("runId");

-- CreateIndex
CREATE INDEX "ContributionScoreHistory_contributionId_scoredAt_idx" ON "ContributionScoreHistory"("contributionId", "scoredAt" DESC);

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionScore" ADD CONSTRAINT "ContributionScore_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionScore" ADD CONSTRAINT "ContributionScore_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ScoringRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionScoreHistory" ADD CONSTRAINT "ContributionScoreHistory_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ScoringRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionScoreHistory" ADD CONSTRAINT "ContributionScoreHistory_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
