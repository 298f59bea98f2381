-- Threads: every reply names its thread's top-level contribution and its depth, so a thread is
-- one indexed read and exports carry parent_id, root_id and depth without walking the tree.

-- AlterTable
ALTER TABLE "Contribution" ADD COLUMN "rootId" UUID,
ADD COLUMN "depth" INTEGER NOT NULL DEFAULT 0;

-- Replies of a contribution, oldest first, keyset-paged.
DROP INDEX "Contribution_parentId_idx";
CREATE INDEX "Contribution_parentId_createdAt_id_idx" ON "Contribution"("parentId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Contribution_rootId_idx" ON "Contribution"("rootId");

-- AddForeignKey
ALTER TABLE "Contribution" ADD CONSTRAINT "Contribution_rootId_fkey" FOREIGN KEY ("rootId") REFERENCES "Contribution"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: a row that already answers another gets its thread's root and its depth.
WITH RECURSIVE thread AS (
  SELECT id, id AS root, 0 AS depth FROM "Contribution" WHERE "parentId" IS NULL
  UNION ALL
  SELECT c.id, thread.root, thread.depth + 1 FROM "Contribution" c JOIN thread ON c."parentId" = thread.id
)
UPDATE "Contribution" c SET "rootId" = thread.root, depth = thread.depth
FROM thread WHERE c.id = thread.id AND thread.depth > 0;
