-- Live margin (issue 10): every change readers could notice on a contribution becomes a row of
-- ArticleEvent, written by a trigger in the same transaction as the change (whatever code path
-- made it: posting, replying, editing, deleting, moderating, automatic hiding), and announced with
-- pg_notify('article_events', <article id>) so every app instance hears it at commit. The id is the
-- Server-Sent Events id: a client that reconnects with Last-Event-ID gets what it missed.
-- Rows are pruned after a day by the app's background job (lib/live/prune-events.ts).

-- CreateTable
CREATE TABLE "ArticleEvent" (
    "id" BIGSERIAL NOT NULL,
    "articleId" UUID NOT NULL,
    "contributionId" UUID NOT NULL,
    "anchorId" TEXT NOT NULL,
    "parentId" UUID,
    "authorId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "status" "ContributionStatus" NOT NULL,
    "wasPublished" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArticleEvent_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ArticleEvent_type_check" CHECK ("type" IN ('posted', 'changed', 'removed'))
);

-- CreateIndex
CREATE INDEX "ArticleEvent_articleId_id_idx" ON "ArticleEvent"("articleId", "id");
CREATE INDEX "ArticleEvent_createdAt_idx" ON "ArticleEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "ArticleEvent" ADD CONSTRAINT "ArticleEvent_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- posted: it exists now (inserted, or published / restored); removed: it was visible and is not now
-- (deleted, hidden, rejected); changed: its text or status changed otherwise (an edit, pending → rejected).
-- Changes readers cannot notice (report counts, queue times, scores, re-anchoring) write nothing.
CREATE FUNCTION "contribution_article_event"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  VALUES (NEW."articleId", NEW.id, NEW."anchorId", NEW."parentId", NEW."authorId", kind, NEW.status, was);
  PERFORM pg_notify('article_events', NEW."articleId"::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Contribution_article_event"
AFTER INSERT OR UPDATE ON "Contribution"
FOR EACH ROW EXECUTE FUNCTION "contribution_article_event"();
