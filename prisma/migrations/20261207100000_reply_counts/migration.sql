-- Stored reply counts (issue 11; docs/decisions/0052-stored-reply-counts.md). The lists and a shared
-- link's thread showed, for every contribution, how many of its direct replies the viewer is shown,
-- counted per request: in the busiest threads (6,554 direct replies at 1,000,000 contributions) that
-- walked thousands of rows per ancestor. Now each contribution carries the counts a signed-out reader
-- sees, kept by triggers; a signed-in reader's own unpublished replies are added by one small query.
--
-- "Publicly visible": not deleted and PUBLISHED. "Publicly shown": publicly visible, or a placeholder
-- with a publicly visible direct reply (lib/annotations/threads.ts, shownSql with no viewer).
--   publicReplyCount = direct replies publicly visible
--   shownReplyCount  = direct replies publicly shown (what a signed-out reader's "N replies" says)
ALTER TABLE "Contribution"
  ADD COLUMN "publicReplyCount" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "shownReplyCount" INTEGER NOT NULL DEFAULT 0;

UPDATE "Contribution" c SET "publicReplyCount" = r.n
FROM (SELECT "parentId" AS id, count(*)::int AS n FROM "Contribution"
      WHERE "parentId" IS NOT NULL AND "deletedAt" IS NULL AND status = 'PUBLISHED' GROUP BY 1) r
WHERE c.id = r.id;

UPDATE "Contribution" c SET "shownReplyCount" = r.n
FROM (SELECT "parentId" AS id, count(*)::int AS n FROM "Contribution"
      WHERE "parentId" IS NOT NULL AND (("deletedAt" IS NULL AND status = 'PUBLISHED') OR "publicReplyCount" > 0) GROUP BY 1) r
WHERE c.id = r.id;

-- A row's change moves its parent's counts. The parent's own publicReplyCount changing can change
-- whether the parent is shown (a placeholder appears or goes), which moves the grandparent's
-- shownReplyCount: that is this same trigger firing on the parent's update. It stops there, since
-- shownReplyCount changes nothing above.
CREATE FUNCTION "contribution_reply_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_visible INTEGER := 0;
  old_shown INTEGER := 0;
  new_visible INTEGER := 0;
  new_shown INTEGER := 0;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    old_visible := CASE WHEN OLD."deletedAt" IS NULL AND OLD.status = 'PUBLISHED' THEN 1 ELSE 0 END;
    old_shown := CASE WHEN old_visible = 1 OR OLD."publicReplyCount" > 0 THEN 1 ELSE 0 END;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    new_visible := CASE WHEN NEW."deletedAt" IS NULL AND NEW.status = 'PUBLISHED' THEN 1 ELSE 0 END;
    new_shown := CASE WHEN new_visible = 1 OR NEW."publicReplyCount" > 0 THEN 1 ELSE 0 END;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."parentId" IS NOT DISTINCT FROM OLD."parentId" THEN
    IF NEW."parentId" IS NOT NULL AND (new_visible <> old_visible OR new_shown <> old_shown) THEN
      UPDATE "Contribution"
      SET "publicReplyCount" = "publicReplyCount" + new_visible - old_visible,
          "shownReplyCount" = "shownReplyCount" + new_shown - old_shown
      WHERE id = NEW."parentId";
    END IF;
    RETURN NULL;
  END IF;
  -- Inserted, deleted, or moved to another parent (a deleted parent's replies get parentId NULL).
  IF TG_OP <> 'INSERT' AND OLD."parentId" IS NOT NULL AND old_shown = 1 THEN
    UPDATE "Contribution"
    SET "publicReplyCount" = "publicReplyCount" - old_visible, "shownReplyCount" = "shownReplyCount" - old_shown
    WHERE id = OLD."parentId";
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."parentId" IS NOT NULL AND new_shown = 1 THEN
    UPDATE "Contribution"
    SET "publicReplyCount" = "publicReplyCount" + new_visible, "shownReplyCount" = "shownReplyCount" + new_shown
    WHERE id = NEW."parentId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Contribution_reply_counts_insert"
AFTER INSERT ON "Contribution"
FOR EACH ROW WHEN (NEW."parentId" IS NOT NULL)
EXECUTE FUNCTION "contribution_reply_counts"();

CREATE TRIGGER "Contribution_reply_counts_update"
AFTER UPDATE OF status, "deletedAt", "publicReplyCount", "parentId" ON "Contribution"
FOR EACH ROW
WHEN ((NEW."parentId" IS NOT NULL OR OLD."parentId" IS NOT NULL)
  AND (NEW.status IS DISTINCT FROM OLD.status
    OR NEW."deletedAt" IS DISTINCT FROM OLD."deletedAt"
    OR NEW."publicReplyCount" IS DISTINCT FROM OLD."publicReplyCount"
    OR NEW."parentId" IS DISTINCT FROM OLD."parentId"))
EXECUTE FUNCTION "contribution_reply_counts"();

CREATE TRIGGER "Contribution_reply_counts_delete"
AFTER DELETE ON "Contribution"
FOR EACH ROW WHEN (OLD."parentId" IS NOT NULL)
EXECUTE FUNCTION "contribution_reply_counts"();

-- A signed-in reader is also shown their own replies that are not public (pending, hidden, rejected),
-- and the placeholders above them: found from the reader's own rows of those statuses, by this index.
CREATE INDEX "Contribution_authorId_status_parentId_idx" ON "Contribution"("authorId", status, "parentId");
