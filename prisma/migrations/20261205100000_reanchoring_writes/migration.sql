-- Cheaper writes when a new version re-anchors an article's contributions (issue 12; docs/perf.md,
-- "Re-anchoring a revision"; docs/decisions/0049-reanchoring-writes.md).

-- 1. The live-event trigger is no longer fired for updates it ignores. The function wrote nothing for
--    them already (a new placement, scores, report counts, queue times change nothing a reader sees),
--    but as a row trigger it was still queued and called once per updated row: 10,000 times when a
--    revision moves 10,000 placements. The WHEN clause is exactly the function's own test for an
--    update, so the events written are the same; inserts are always events.
DROP TRIGGER "Contribution_article_event" ON "Contribution";

CREATE TRIGGER "Contribution_article_event"
AFTER INSERT ON "Contribution"
FOR EACH ROW EXECUTE FUNCTION "contribution_article_event"();

CREATE TRIGGER "Contribution_article_event_update"
AFTER UPDATE ON "Contribution"
FOR EACH ROW
WHEN ((NEW."deletedAt" IS NOT NULL AND OLD."deletedAt" IS NULL)
   OR NEW.status IS DISTINCT FROM OLD.status
   OR NEW.body IS DISTINCT FROM OLD.body
   OR NEW."sourceUrl" IS DISTINCT FROM OLD."sourceUrl"
   OR NEW."sourceTitle" IS DISTINCT FROM OLD."sourceTitle"
   OR NEW.stance IS DISTINCT FROM OLD.stance)
EXECUTE FUNCTION "contribution_article_event"();

-- 2. One index on the anchorings' version instead of two. (versionId, anchorId) and (versionId, method)
--    served the read side before the current placement moved onto Contribution (ADR 0042); nothing
--    reads by them now. A version's rows are still found by versionId (deleting a version cascades).
DROP INDEX "ContributionAnchoring_versionId_anchorId_idx";
DROP INDEX "ContributionAnchoring_versionId_method_idx";
CREATE INDEX "ContributionAnchoring_versionId_idx" ON "ContributionAnchoring"("versionId");
