-- The paragraph list in both of its orders read from an index, however many contributions a paragraph
-- holds (issue 11; docs/perf.md, "Paragraph list hot path"; docs/decisions/0050-list-order-indexes.md).

-- 1. Newest first: a paragraph's top-level contributions in (createdAt, id) order. The (articleId,
--    placedAnchorId, status, …) index cannot give that order across statuses, so PostgreSQL walked the
--    whole table's createdAt index and filtered: fine on the hottest paragraph, a full scan on a quiet one.
CREATE INDEX "Contribution_articleId_placedAnchorId_parentId_createdAt_id_idx"
  ON "Contribution"("articleId", "placedAnchorId", "parentId", "createdAt" DESC, "id" DESC);

-- 2. Most helpful: the scored ones of a paragraph by status and intercept. The score row carries what the
--    list filters and orders by besides its own columns — the article, the paragraph whose list ranks it
--    (null for a reply or an orphan) and when the contribution was posted — so the index holds the order.
ALTER TABLE "ContributionScore"
  ADD COLUMN "articleId" UUID,
  ADD COLUMN "listAnchorId" TEXT,
  ADD COLUMN "postedAt" TIMESTAMPTZ(3);

UPDATE "ContributionScore" s
SET "articleId" = c."articleId",
    "listAnchorId" = CASE WHEN c."parentId" IS NULL THEN c."placedAnchorId" END,
    "postedAt" = c."createdAt"
FROM "Contribution" c
WHERE c.id = s."contributionId";

CREATE INDEX "ContributionScore_list_order_idx"
  ON "ContributionScore"("articleId", "listAnchorId", "status", "intercept" DESC, "postedAt" DESC, "contributionId" DESC);

-- A score row written without them (the scoring job writes them itself) gets them from its contribution.
CREATE FUNCTION "contribution_score_list_key"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."articleId" IS NULL OR NEW."postedAt" IS NULL OR (TG_OP = 'UPDATE' AND NEW."contributionId" IS DISTINCT FROM OLD."contributionId") THEN
    SELECT c."articleId", CASE WHEN c."parentId" IS NULL THEN c."placedAnchorId" END, c."createdAt"
      INTO NEW."articleId", NEW."listAnchorId", NEW."postedAt"
      FROM "Contribution" c WHERE c.id = NEW."contributionId";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "ContributionScore_list_key"
BEFORE INSERT OR UPDATE ON "ContributionScore"
FOR EACH ROW EXECUTE FUNCTION "contribution_score_list_key"();

-- A contribution moved to another paragraph (re-anchoring, an orphan re-attached) moves its score row's
-- key; so does a changed createdAt (nothing in the app changes it, but the order must follow if anything does).
CREATE FUNCTION "contribution_list_key_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ContributionScore"
  SET "listAnchorId" = CASE WHEN NEW."parentId" IS NULL THEN NEW."placedAnchorId" END,
      "postedAt" = NEW."createdAt"
  WHERE "contributionId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER "Contribution_list_key_changed"
AFTER UPDATE OF "placedAnchorId", "createdAt" ON "Contribution"
FOR EACH ROW
WHEN (NEW."placedAnchorId" IS DISTINCT FROM OLD."placedAnchorId" OR NEW."createdAt" IS DISTINCT FROM OLD."createdAt")
EXECUTE FUNCTION "contribution_list_key_changed"();
