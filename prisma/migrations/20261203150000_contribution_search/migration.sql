-- Full-text search of contributions (docs/decisions/0037-full-text-search.md).
--
-- A stored generated tsvector of what a reader would search a contribution by: its body (weight A),
-- a source's title (B) and the passage quoted from the source (C), with the 'english' text search
-- configuration (the article and the discussion are in English: "exiles" finds "exile"). The
-- configuration is named, never the server's default_text_search_config, so the column is immutable
-- and a query must name the same one (lib/search/config.ts). PostgreSQL keeps it up to date on every
-- insert and update of those columns; nothing in the application writes it.
--
-- Adding a stored generated column rewrites the table once (an ACCESS EXCLUSIVE lock for the
-- rewrite; measured in the ADR). The GIN index serves `search @@ query`.

-- AlterTable
ALTER TABLE "Contribution" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce("body", '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce("sourceTitle", '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, coalesce("sourceQuote", '')), 'C')
) STORED;

-- CreateIndex
CREATE INDEX "Contribution_search_idx" ON "Contribution" USING GIN ("search");
