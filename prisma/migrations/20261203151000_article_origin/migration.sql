-- Articles added by an admin at /admin/articles, beside those loaded from content/ files
-- (docs/decisions/0038-people-pages-and-admin-articles.md).

-- AlterEnum: the audit log's entry for an article an admin adds.
ALTER TYPE "ModerationAction" ADD VALUE 'ARTICLE_CREATE';

-- CreateEnum
CREATE TYPE "ArticleOrigin" AS ENUM ('FILE', 'ADMIN');

-- AlterTable: every article so far was loaded from a file in content/.
ALTER TABLE "Article" ADD COLUMN "origin" "ArticleOrigin" NOT NULL DEFAULT 'FILE';

-- CreateIndex: the home page's counts (published, not deleted, per article and kind) in one
-- grouped index-only scan; the older (articleId, status, anchorId, kind) index lacks deletedAt.
CREATE INDEX "Contribution_status_deletedAt_articleId_kind_idx" ON "Contribution"("status", "deletedAt", "articleId", "kind");
