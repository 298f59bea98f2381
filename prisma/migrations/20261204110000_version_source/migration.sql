-- Where each article version came from: a file in content/ (the loader) or an admin's revision
-- at /admin/articles/<slug> (docs/decisions/0043-article-revisions.md). The loader compares a
-- file with the last version that came from the file, so an admin's revision is not reverted
-- by the next start.

-- AlterEnum: the audit log's entry for an admin's revision of an article.
ALTER TYPE "ModerationAction" ADD VALUE 'ARTICLE_REVISE';

-- CreateEnum
CREATE TYPE "VersionSource" AS ENUM ('FILE', 'ADMIN');

-- AlterTable: every version so far came from a file, except those of articles an admin added.
ALTER TABLE "ArticleVersion" ADD COLUMN "source" "VersionSource" NOT NULL DEFAULT 'FILE';
UPDATE "ArticleVersion" v SET "source" = 'ADMIN' FROM "Article" a WHERE a.id = v."articleId" AND a."origin" = 'ADMIN';

-- CreateIndex: the loader's "last version from the file" (and the history's per-source reads).
CREATE INDEX "ArticleVersion_articleId_source_number_idx" ON "ArticleVersion"("articleId", "source", "number");
