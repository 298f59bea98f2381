-- Revisions, the read side (issue 12, docs/decisions/0042-current-placement.md): where each contribution sits
-- on its article's CURRENT version, on the contribution itself, so the paragraph lists, the counts and the
-- highlights read one indexed table as before. The author's own claim (anchorId, offsets, quote, prefix,
-- suffix, paragraphId, articleVersionId) is never changed; the history of placements stays in
-- ContributionAnchoring (one row per later version). Written when a contribution is created (its own claim),
-- and in the same transaction as each new version (lib/anchoring/reanchor-version.ts).
-- placedAnchorId is NULL for an orphan (placedMethod ORPHANED): on no paragraph of the current version.

ALTER TABLE "Contribution"
  ADD COLUMN "placedAnchorId" TEXT,
  ADD COLUMN "placedStart" INTEGER,
  ADD COLUMN "placedEnd" INTEGER,
  ADD COLUMN "placedExact" TEXT,
  ADD COLUMN "placedPrefix" TEXT,
  ADD COLUMN "placedSuffix" TEXT,
  ADD COLUMN "placedWhole" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "placedMethod" "AnchoringMethod" NOT NULL DEFAULT 'EXACT',
  ADD COLUMN "placedScore" DOUBLE PRECISION NOT NULL DEFAULT 1,
  ADD COLUMN "placedSince" INTEGER NOT NULL DEFAULT 1;

-- Manual re-attachment of an orphan by a moderator is logged.
ALTER TYPE "ModerationAction" ADD VALUE 'REATTACH';

-- The triggers (live events, search) must not fire for the backfill: it changes no text or status.
-- 1. Its own claim, on the version it was written on.
UPDATE "Contribution" c
SET "placedAnchorId" = c."anchorId", "placedStart" = c."startOffset", "placedEnd" = c."endOffset",
    "placedExact" = c."quoteExact", "placedPrefix" = c."quotePrefix", "placedSuffix" = c."quoteSuffix",
    "placedWhole" = c."wholeParagraph", "placedMethod" = 'EXACT', "placedScore" = 1, "placedSince" = v.number
FROM "ArticleVersion" v
WHERE v.id = c."articleVersionId";

-- 2. Where the article has a later version: the latest version's re-anchoring, when there is one.
WITH latest AS (
  SELECT DISTINCT ON ("articleId") id, "articleId", number FROM "ArticleVersion" ORDER BY "articleId", number DESC
)
UPDATE "Contribution" c
SET "placedAnchorId" = a."anchorId", "placedStart" = a."startOffset", "placedEnd" = a."endOffset",
    "placedExact" = a."quoteExact", "placedPrefix" = a."quotePrefix", "placedSuffix" = a."quoteSuffix",
    "placedWhole" = a."wholeParagraph", "placedMethod" = a.method, "placedScore" = a.score, "placedSince" = a."sinceVersion"
FROM latest l
JOIN "ContributionAnchoring" a ON a."versionId" = l.id
WHERE a."contributionId" = c.id AND c."articleId" = l."articleId";

-- 3. Written on an earlier version and never re-anchored onto the latest (a reply to a re-anchored
--    contribution, or a stale page). A top-level one keeps its claim only where the latest version has
--    the very same paragraph (same anchor id: the same text), else it is an orphan; then a reply
--    follows its thread's root.
WITH latest AS (
  SELECT DISTINCT ON ("articleId") id, "articleId", number FROM "ArticleVersion" ORDER BY "articleId", number DESC
)
UPDATE "Contribution" c
SET "placedAnchorId" = NULL, "placedStart" = NULL, "placedEnd" = NULL, "placedExact" = NULL, "placedPrefix" = NULL,
    "placedSuffix" = NULL, "placedWhole" = false, "placedMethod" = 'ORPHANED', "placedScore" = 0, "placedSince" = l.number
FROM latest l
WHERE l."articleId" = c."articleId" AND c."articleVersionId" <> l.id AND c."rootId" IS NULL
  AND NOT EXISTS (SELECT 1 FROM "ContributionAnchoring" a WHERE a."contributionId" = c.id AND a."versionId" = l.id)
  AND NOT EXISTS (SELECT 1 FROM "Paragraph" p WHERE p."versionId" = l.id AND p."anchorId" = c."anchorId");

WITH latest AS (
  SELECT DISTINCT ON ("articleId") id, "articleId", number FROM "ArticleVersion" ORDER BY "articleId", number DESC
), stale AS (
  SELECT c.id, c."rootId", c."anchorId", l.id AS "latestId", l.number
  FROM "Contribution" c JOIN latest l ON l."articleId" = c."articleId"
  WHERE c."articleVersionId" <> l.id
    AND NOT EXISTS (SELECT 1 FROM "ContributionAnchoring" a WHERE a."contributionId" = c.id AND a."versionId" = l.id)
)
UPDATE "Contribution" c
SET "placedAnchorId" = r."placedAnchorId", "placedStart" = r."placedStart", "placedEnd" = r."placedEnd",
    "placedExact" = r."placedExact", "placedPrefix" = r."placedPrefix", "placedSuffix" = r."placedSuffix",
    "placedWhole" = r."placedWhole", "placedMethod" = r."placedMethod", "placedScore" = r."placedScore", "placedSince" = r."placedSince"
FROM stale s JOIN "Contribution" r ON r.id = s."rootId"
WHERE c.id = s.id;

-- Live events name the paragraph the contribution sits on now (an orphan: the one it was written on).
CREATE OR REPLACE FUNCTION "contribution_article_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind TEXT;
  was BOOLEAN := false;
BEGIN
  IF TG_OP = 'INSERT' THEN
    kind := 'posted';
  ELSE
    was := OLD.status = 'PUBLISHED' AND OLD."deletedAt" IS NULL;
    IF NEW."deletedAt" IS NOT NULL AND OLD."deletedAt" IS NULL THEN
      kind := 'removed';
    ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
      IF NEW.status = 'PUBLISHED' THEN kind := 'posted';
      ELSIF was THEN kind := 'removed';
      ELSE kind := 'changed';
      END IF;
    ELSIF NEW.body IS DISTINCT FROM OLD.body OR NEW."sourceUrl" IS DISTINCT FROM OLD."sourceUrl"
       OR NEW."sourceTitle" IS DISTINCT FROM OLD."sourceTitle" OR NEW.stance IS DISTINCT FROM OLD.stance THEN
      kind := 'changed';
    ELSE
      RETURN NULL;
    END IF;
  END IF;
  INSERT INTO "ArticleEvent" ("articleId", "contributionId", "anchorId", "parentId", "authorId", "type", "status", "wasPublished")
  VALUES (NEW."articleId", NEW.id, COALESCE(NEW."placedAnchorId", NEW."anchorId"), NEW."parentId", NEW."authorId", kind, NEW.status, was);
  PERFORM pg_notify('article_events', NEW."articleId"::text);
  RETURN NULL;
END;
$$;

-- A row inserted without a placement (a script, a seed, SQL by hand) sits on its own claim, as the app's
-- own inserts do (lib/annotations/placement.ts); an explicit placement is kept.
CREATE FUNCTION "contribution_default_placement"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."placedAnchorId" := NEW."anchorId";
  NEW."placedStart" := NEW."startOffset";
  NEW."placedEnd" := NEW."endOffset";
  NEW."placedExact" := NEW."quoteExact";
  NEW."placedPrefix" := NEW."quotePrefix";
  NEW."placedSuffix" := NEW."quoteSuffix";
  NEW."placedWhole" := NEW."wholeParagraph";
  NEW."placedSince" := COALESCE((SELECT number FROM "ArticleVersion" WHERE id = NEW."articleVersionId"), 1);
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Contribution_default_placement"
BEFORE INSERT ON "Contribution"
FOR EACH ROW WHEN (NEW."placedAnchorId" IS NULL AND NEW."placedMethod" = 'EXACT')
EXECUTE FUNCTION "contribution_default_placement"();

-- The paragraph list (newest first, keyset-paged) and the counts per paragraph, on the current placement.
DROP INDEX "Contribution_articleId_anchorId_status_createdAt_id_idx";
DROP INDEX "Contribution_articleId_status_anchorId_kind_idx";
CREATE INDEX "Contribution_articleId_placedAnchorId_status_createdAt_id_idx" ON "Contribution"("articleId", "placedAnchorId", "status", "createdAt" DESC, "id" DESC);
CREATE INDEX "Contribution_articleId_status_placedAnchorId_kind_idx" ON "Contribution"("articleId", "status", "placedAnchorId", "kind");
-- The orphans of an article (newest first).
CREATE INDEX "Contribution_articleId_placedMethod_createdAt_id_idx" ON "Contribution"("articleId", "placedMethod", "createdAt" DESC, "id" DESC);
