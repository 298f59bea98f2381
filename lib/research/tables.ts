/**
 * The tables of a research export: one definition per column, and everything else reads it —
 * the SELECT and the COPY parser (source.ts), the row written (bundle.ts), the CSV header and
 * JSONL keys (table-writer.ts, same names, same order) and data-dictionary.md (documents.ts).
 * Adding a column is one entry here (plus its field in the row type, if it reads a new one).
 * Bump SCHEMA_VERSION when a column is added, removed or changes meaning.
 */

import { CONTEXT_CHARS } from "@/lib/annotations/selector";
import { FLAG_REASONS } from "@/lib/moderation/schemas";
import { RATING_TAGS, RATING_VALUES } from "@/lib/ranking/config";
import { LIST_SEPARATOR, type CsvValue } from "./csv";
import { versionSourceIri } from "./jsonld";
import type { SqlContext } from "./sql-format";
import type {
  AnchorEventRow,
  ArticleRow,
  ContributionRow,
  EventRow,
  FlagRow,
  ParagraphInfo,
  RatingRow,
  RevisionRow,
  RunRow,
  ScoreRow,
  VersionRow,
} from "./source";
import { codePointOffset, quoteContext } from "./text-positions";

export const SCHEMA_VERSION = "1.3";

export type ColumnType = "uuid" | "text" | "integer" | "number" | "boolean" | "timestamp" | "enum" | "list" | "url" | "pseudonym";

/** What every row of an export can draw on besides its own fields. */
export interface RowContext {
  /** The platform's public address, without a trailing slash. */
  base: string;
  /** This study's pseudonym for a user id. */
  pseudonym: (userId: string | null) => string | null;
  paragraphs: ReadonlyMap<string, ParagraphInfo>;
  /** Per version id: its paragraph count and the length of its plain text, in code points. */
  versionStats: ReadonlyMap<string, { paragraphs: number; textLength: number }>;
}

export interface Column<R = unknown> {
  name: string;
  type: ColumnType;
  nullable: boolean;
  meaning: string;
  allowed?: readonly string[];
  /**
   * Tables streamed from the database: the SQL expression read into the row's field `field`
   * (default: the column's name) — one entry in the SELECT list and one in the COPY parser.
   */
  sql?: string;
  field?: string;
  /** The value written, when it is not the row's field as read (a pseudonym, a derived flag). */
  value?(row: R, x: RowContext): CsvValue;
  /**
   * value()'s twin in SQL, for rows PostgreSQL formats itself (sql-format.ts): the same value,
   * typed (text, integer, boolean, an array for a list). A column with value() but no out keeps
   * its table on the JavaScript path.
   */
  out?(x: SqlContext): string;
}

/** One key of a streamed table's order (and of its keyset paging on the embedded database). */
export interface OrderKey {
  sql: string;
  /** The row field holding the key's value. */
  field: string;
  /** Its SQL type, for the keyset condition's parameter. */
  cast: "timestamptz" | "uuid";
}

/** A value a streamed table reads but does not export as such (e.g. an id that becomes a pseudonym). */
export interface SourceField {
  name: string;
  sql: string;
  type: ColumnType;
  nullable: boolean;
}

export interface TableDef<R = unknown> {
  name: TableName;
  meaning: string;
  columns: readonly Column<R>[];
  /** Only with "include moderation events". */
  moderationOnly?: boolean;
  /**
   * Streamed tables: the FROM clause (joined to the selected contributions as `c` and their
   * authors as `u`, unless `where` says how it relates to them), the alias whose ("createdAt", id)
   * orders and pages the rows (unless `order` names other keys: a unique, total order), and what
   * else is read. With the default order the row's `id` and `created_at` are that alias's.
   */
  source?: {
    from: string;
    alias: string;
    extra: readonly SourceField[];
    /** The rows' condition, given the selected contributions' condition (default: that condition). */
    where?: (contributions: string) => string;
    order?: readonly OrderKey[];
  };
}

/** A timestamp column as PostgreSQL formats it: ISO 8601 UTC with milliseconds (no Date per row). */
export const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The selected contributions and their authors; every streamed table's FROM starts here. */
export const FROM_CONTRIBUTIONS = `"Contribution" c JOIN "User" u ON u.id = c."authorId"`;

export type TableName =
  | "articles"
  | "article_versions"
  | "paragraphs"
  | "contributions"
  | "anchor_events"
  | "contribution_revisions"
  | "ratings"
  | "contribution_scores"
  | "scoring_runs"
  | "moderation_events"
  | "flags";

export const KINDS = ["ANNOTATION", "COUNTERPOINT", "SOURCE"] as const;
export const STATUSES = ["PUBLISHED", "PENDING", "HIDDEN", "REJECTED"] as const;
export const STANCES = ["SUPPORTS", "REFUTES", "CONTEXT"] as const;
export const ROLES = ["READER", "MODERATOR", "ADMIN", "RESEARCHER"] as const;
export const RANKING_STATUSES = ["NEEDS_MORE_RATINGS", "RATED", "HELPFUL"] as const;
export const SCORING_TRIGGERS = ["schedule", "ratings", "operator"] as const;
export const ANCHORING_METHODS = ["exact", "fuzzy", "orphaned"] as const;
export const MODERATION_EVENT_ACTIONS = [
  "FLAG",
  "APPEAL",
  "PUBLISH",
  "HIDE",
  "REJECT",
  "RESTORE",
  "KEEP",
  "AUTO_HIDE",
  "REQUEUE_EDIT",
  "APPEAL_UPHELD",
  "APPEAL_DENIED",
  "UNDO",
  "REATTACH",
] as const;

const ts = (meaning: string, nullable = false): Pick<Column, "type" | "nullable" | "meaning"> => ({
  type: "timestamp",
  nullable,
  meaning: `${meaning} UTC, ISO 8601 with milliseconds and Z (e.g. 2026-11-27T09:30:00.000Z).`,
});

const articles: TableDef<ArticleRow> = {
  name: "articles",
  meaning: "The articles the exported contributions belong to (all articles when no article filter was set).",
  columns: [
    { name: "article_id", type: "uuid", nullable: false, meaning: "The article's id." },
    { name: "slug", type: "text", nullable: false, meaning: "The article's short name, as in its web address /articles/<slug>." },
    { name: "title", type: "text", nullable: false, meaning: "The title of the article's latest version." },
    { name: "publisher", type: "text", nullable: true, meaning: "The publisher named in the article's source text, if any." },
    {
      name: "moderation_policy",
      type: "enum",
      nullable: false,
      meaning: "How new contributions on the article were moderated at export time: published at once and reviewed afterwards, or held for review first.",
      allowed: ["POST_MODERATION", "PRE_MODERATION"],
    },
    { name: "url", type: "url", nullable: false, meaning: "The article's web address on this platform.", value: (a, x) => `${x.base}/articles/${encodeURIComponent(a.slug)}` },
  ],
};

const versions: TableDef<VersionRow> = {
  name: "article_versions",
  meaning: "Every version of those articles. Contributions point at the version they were written on.",
  columns: [
    { name: "version_id", type: "uuid", nullable: false, meaning: "The version's id." },
    { name: "article_id", type: "uuid", nullable: false, meaning: "The article (articles.article_id)." },
    { name: "version_number", type: "integer", nullable: false, meaning: "1 for the first version, then 2, 3, …" },
    { name: "title", type: "text", nullable: false, meaning: "The title in this version." },
    { name: "content_sha256", type: "text", nullable: false, meaning: "sha256 (hex) of the version's source file, as loaded." },
    { name: "paragraph_count", type: "integer", nullable: false, meaning: "How many paragraphs the version has.", value: (v, x) => x.versionStats.get(v.version_id)?.paragraphs ?? 0 },
    {
      name: "text_length",
      type: "integer",
      nullable: false,
      meaning: "Length in Unicode code points of the version's plain text: its paragraphs in order, joined by a blank line (two line feeds).",
      value: (v, x) => x.versionStats.get(v.version_id)?.textLength ?? 0,
    },
    { name: "created_at", ...ts("When the version was loaded,") },
    { name: "source_iri", type: "url", nullable: false, meaning: "The IRI that JSON-LD annotations use as their target's source for this version.", value: (v, x) => versionSourceIri(x.base, v) },
  ],
};

const paragraphs: TableDef<ParagraphInfo> = {
  name: "paragraphs",
  meaning: "The exact text that was annotated: every paragraph of every exported version.",
  columns: [
    { name: "paragraph_id", type: "uuid", nullable: false, meaning: "The paragraph's id." },
    { name: "version_id", type: "uuid", nullable: false, meaning: "The version (article_versions.version_id)." },
    { name: "position", type: "integer", nullable: false, meaning: "0 for the first paragraph of the version, then 1, 2, …" },
    { name: "anchor_id", type: "text", nullable: false, meaning: "The paragraph's stable anchor: its deep link is <article url>#<anchor_id>." },
    { name: "text", type: "text", nullable: false, meaning: "The paragraph's text, exactly as shown to readers." },
    { name: "length", type: "integer", nullable: false, meaning: "Length of text in Unicode code points." },
    {
      name: "version_text_start",
      type: "integer",
      nullable: false,
      meaning: "Where the paragraph starts in the version's plain text (see article_versions.text_length), in code points.",
    },
  ],
};

let memo: { row: ContributionRow; value: { prefix: string; suffix: string; start: number; end: number } } | null = null;

/**
 * A contribution's quote context and code-point offsets, computed once per row for the four
 * columns that show them. Without surrogate pairs in the paragraph, code-point offsets are the
 * UTF-16 ones and no character can have been cut in half, so the stored context stands.
 */
function positions(c: ContributionRow, x: RowContext) {
  if (memo?.row === c) return memo.value;
  const para = x.paragraphs.get(c.paragraph_id);
  const plain = para === undefined || para.length === para.text.length;
  const context = plain ? { prefix: c.quote_prefix, suffix: c.quote_suffix } : quoteContext(para.text, c.start_utf16, c.end_utf16, CONTEXT_CHARS);
  const value = {
    prefix: context.prefix,
    suffix: context.suffix,
    start: plain ? c.start_utf16 : codePointOffset(para.text, c.start_utf16),
    end: plain ? c.end_utf16 : codePointOffset(para.text, c.end_utf16),
  };
  memo = { row: c, value };
  return value;
}

/** The contribution's paragraph and UTF-16 offsets, as the SQL twins of positions() read them. */
const P = `c."paragraphId"`;
const S = `c."startOffset"`;
const E = `c."endOffset"`;

/** A source's optional DOI, archived copy and quoted passage: in contributions and in every revision. */
const SOURCE_DETAILS = (alias: string): Column[] => [
  {
    name: "source_doi",
    type: "text",
    nullable: true,
    meaning: "SOURCE only, optional: the source's DOI as the author wrote it (bare 10.xxxx/…, with doi: in front, or as a doi.org address); it resolves at https://doi.org/ followed by the part from 10. on.",
    sql: `${alias}."sourceDoi"`,
  },
  { name: "source_archive_url", type: "url", nullable: true, meaning: "SOURCE only, optional: the address of an archived copy of the source (http or https).", sql: `${alias}."sourceArchiveUrl"` },
  { name: "source_quote", type: "text", nullable: true, meaning: "SOURCE only, optional: the passage the author quoted from the source, exactly as written.", sql: `${alias}."sourceQuote"` },
];

const contributions: TableDef<ContributionRow> = {
  name: "contributions",
  meaning: "Annotations, counterpoints and source links, one row each. Deleted ones and those of people who opted out are never exported.",
  source: { from: FROM_CONTRIBUTIONS, alias: "c", extra: [{ name: "author_id", sql: `c."authorId"`, type: "uuid", nullable: false }] },
  columns: [
    { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution's id (in JSON-LD: urn:uuid:<id>).", sql: "c.id", field: "id" },
    { name: "article_id", type: "uuid", nullable: false, meaning: "The article (articles.article_id).", sql: `c."articleId"` },
    { name: "version_id", type: "uuid", nullable: false, meaning: "The version the claim was selected in (article_versions.version_id).", sql: `c."articleVersionId"` },
    { name: "paragraph_id", type: "uuid", nullable: false, meaning: "The paragraph the claim is in (paragraphs.paragraph_id).", sql: `c."paragraphId"` },
    { name: "anchor_id", type: "text", nullable: false, meaning: "That paragraph's anchor.", sql: `c."anchorId"` },
    {
      name: "kind",
      type: "enum",
      nullable: false,
      meaning: "ANNOTATION: a comment on the claim. COUNTERPOINT: an argument against it. SOURCE: a link to evidence.",
      allowed: KINDS,
      sql: "c.kind::text",
    },
    {
      name: "status",
      type: "enum",
      nullable: false,
      meaning: "Moderation status at export time. Only PUBLISHED items were visible to readers; other statuses are exported to admins only, when asked for.",
      allowed: STATUSES,
      sql: "c.status::text",
    },
    { name: "publicly_visible", type: "boolean", nullable: false, meaning: "true when status is PUBLISHED (what readers could see at export time).", value: (c) => c.status === "PUBLISHED", out: () => `(c.status = 'PUBLISHED')` },
    { name: "author_pseudonym", type: "pseudonym", nullable: false, meaning: "The author, as this study's pseudonym (see manifest.json, pseudonymisation).", value: (c, x) => x.pseudonym(c.author_id), out: (q) => q.authorPseudonym },
    { name: "body", type: "text", nullable: false, meaning: "What the author wrote, exactly as stored (the Markdown source, unrendered; may be empty for a source link).", sql: "c.body" },
    { name: "source_url", type: "url", nullable: true, meaning: "SOURCE only: the linked address (http or https).", sql: `c."sourceUrl"` },
    { name: "source_title", type: "text", nullable: true, meaning: "SOURCE only: the title the author gave the link, if any.", sql: `c."sourceTitle"` },
    { name: "stance", type: "enum", nullable: true, meaning: "SOURCE only: whether the source supports, refutes or gives context to the claim.", allowed: STANCES, sql: "c.stance::text" },
    {
      name: "source_domain",
      type: "text",
      nullable: true,
      meaning: "SOURCE only: the host of source_url, lower case, without a leading www. (derived by the platform, e.g. example.org).",
      sql: `c."sourceDomain"`,
    },
    ...SOURCE_DETAILS("c"),
    { name: "quote_exact", type: "text", nullable: false, meaning: "The selected claim, exactly (TextQuoteSelector exact).", sql: `c."quoteExact"` },
    {
      name: "quote_prefix",
      type: "text",
      nullable: false,
      meaning: "Up to 32 UTF-16 code units of the paragraph just before the claim (TextQuoteSelector prefix); a character cut in half at its start is dropped.",
      sql: `c."quotePrefix"`,
      value: (c, x) => positions(c, x).prefix,
      out: (q) => `CASE WHEN ${q.astral(P)} THEN ${q.context(P, S, E, "prefix")} ELSE c."quotePrefix" END`,
    },
    {
      name: "quote_suffix",
      type: "text",
      nullable: false,
      meaning: "Up to 32 UTF-16 code units just after the claim (TextQuoteSelector suffix); a character cut in half at its end is dropped.",
      sql: `c."quoteSuffix"`,
      value: (c, x) => positions(c, x).suffix,
      out: (q) => `CASE WHEN ${q.astral(P)} THEN ${q.context(P, S, E, "suffix")} ELSE c."quoteSuffix" END`,
    },
    { name: "start", type: "integer", nullable: false, meaning: "Where the claim starts in the paragraph's text, in Unicode code points (TextPositionSelector).", value: (c, x) => positions(c, x).start, out: (q) => `CASE WHEN ${q.astral(P)} THEN ${q.codePoints(P, S)} ELSE ${S} END` },
    { name: "end", type: "integer", nullable: false, meaning: "Where the claim ends (exclusive), in code points.", value: (c, x) => positions(c, x).end, out: (q) => `CASE WHEN ${q.astral(P)} THEN ${q.codePoints(P, E)} ELSE ${E} END` },
    { name: "start_utf16", type: "integer", nullable: false, meaning: "The same start in UTF-16 code units (what JavaScript's String.slice uses).", sql: `c."startOffset"` },
    { name: "end_utf16", type: "integer", nullable: false, meaning: "The same end in UTF-16 code units.", sql: `c."endOffset"` },
    { name: "whole_paragraph", type: "boolean", nullable: false, meaning: "true when the author responded to the whole paragraph rather than a span of it.", sql: `c."wholeParagraph"` },
    { name: "parent_id", type: "uuid", nullable: true, meaning: "For a reply: the contribution it replies to. Empty for top-level contributions.", sql: `c."parentId"` },
    {
      name: "root_id",
      type: "uuid",
      nullable: true,
      meaning: "For a reply: the top-level contribution of its thread. Empty for top-level contributions. A parent or root left out of the export (filters, status, opt-out) is still named here.",
      sql: `c."rootId"`,
    },
    { name: "depth", type: "integer", nullable: false, meaning: "0 for a top-level contribution; for a reply, its parent's depth + 1.", sql: `c.depth` },
    { name: "created_at", ...ts("When it was posted,"), sql: ISO(`c."createdAt"`) },
    { name: "edited_at", ...ts("When its author last edited the text, or empty if never,", true), sql: ISO(`c."editedAt"`) },
    {
      name: "version",
      type: "integer",
      nullable: false,
      meaning:
        "The contribution's version at export time (edits and moderation decisions each add 1). Its current text is the contribution_revisions row with the largest version not above this one.",
      sql: "c.version",
    },
  ],
};

/**
 * The contributions as JSON-LD reads them: the same row, plus where each sits on its article's
 * latest version when it was re-anchored there (its ContributionAnchoring row for that version;
 * none when it was written on it). Not a table of its own: the annotations' current target.
 */
export const contributionsWithCurrentPlacement: TableDef<ContributionRow> = {
  ...contributions,
  source: {
    ...contributions.source!,
    from: `${FROM_CONTRIBUTIONS} LEFT JOIN "ContributionAnchoring" ca ON ca."contributionId" = c.id
      AND ca."versionId" = (SELECT lv.id FROM "ArticleVersion" lv WHERE lv."articleId" = c."articleId" ORDER BY lv.number DESC LIMIT 1)`,
    extra: [
      ...contributions.source!.extra,
      { name: "current_version_id", sql: `ca."versionId"`, type: "uuid", nullable: true },
      { name: "current_method", sql: `lower(ca.method::text)`, type: "enum", nullable: true },
      { name: "current_score", sql: `ca.score`, type: "number", nullable: true },
      { name: "current_since_version", sql: `ca."sinceVersion"`, type: "integer", nullable: true },
      { name: "current_paragraph_id", sql: `ca."paragraphId"`, type: "uuid", nullable: true },
      { name: "current_anchor_id", sql: `ca."anchorId"`, type: "text", nullable: true },
      { name: "current_start_utf16", sql: `ca."startOffset"`, type: "integer", nullable: true },
      { name: "current_end_utf16", sql: `ca."endOffset"`, type: "integer", nullable: true },
      { name: "current_exact", sql: `ca."quoteExact"`, type: "text", nullable: true },
    ],
  },
};

/** A placement's code-point offsets and context (as contributions' positions(), for either side of an anchor event). */
type Side = "old" | "new";
const sideMemo: Record<Side, { row: AnchorEventRow | null; value: { prefix: string | null; suffix: string | null; start: number | null; end: number | null } }> = {
  old: { row: null, value: { prefix: null, suffix: null, start: null, end: null } },
  new: { row: null, value: { prefix: null, suffix: null, start: null, end: null } },
};

function placement(e: AnchorEventRow, side: Side, x: RowContext) {
  const m = sideMemo[side];
  if (m.row === e) return m.value;
  const paragraphId = e[`${side}_paragraph_id`];
  const s = e[`${side}_start_utf16`];
  const t = e[`${side}_end_utf16`];
  let value: (typeof m)["value"];
  if (paragraphId === null || s === null || t === null) {
    value = { prefix: e[`${side}_prefix`], suffix: e[`${side}_suffix`], start: null, end: null };
  } else {
    const para = x.paragraphs.get(paragraphId);
    const plain = para === undefined || para.length === para.text.length;
    const context = plain ? { prefix: e[`${side}_prefix`], suffix: e[`${side}_suffix`] } : quoteContext(para.text, s, t, CONTEXT_CHARS);
    value = { prefix: context.prefix, suffix: context.suffix, start: plain ? s : codePointOffset(para.text, s), end: plain ? t : codePointOffset(para.text, t) };
  }
  sideMemo[side] = { row: e, value };
  return value;
}

/** The from-version placement: that version's anchoring row (pa), or the contribution's own selector when it was written there. */
const OLD = (anchoring: string, own: string) => `CASE WHEN pa.id IS NOT NULL THEN pa."${anchoring}" WHEN c."articleVersionId" = pv.id THEN c."${own}" END`;

const SELECTOR_COLUMNS = (side: Side, sql: (anchoring: string, own: string) => string, where: string): Column<AnchorEventRow>[] => [
  { name: `${side}_paragraph_id`, type: "uuid", nullable: true, meaning: `The paragraph ${where} (paragraphs.paragraph_id).`, sql: sql("paragraphId", "paragraphId") },
  { name: `${side}_anchor_id`, type: "text", nullable: true, meaning: "That paragraph's anchor.", sql: sql("anchorId", "anchorId") },
  { name: `${side}_start`, type: "integer", nullable: true, meaning: "Where the claim starts in that paragraph's text, in Unicode code points.", value: (e, x) => placement(e, side, x).start },
  { name: `${side}_end`, type: "integer", nullable: true, meaning: "Where it ends (exclusive), in code points.", value: (e, x) => placement(e, side, x).end },
  { name: `${side}_start_utf16`, type: "integer", nullable: true, meaning: "The same start in UTF-16 code units.", sql: sql("startOffset", "startOffset") },
  { name: `${side}_end_utf16`, type: "integer", nullable: true, meaning: "The same end in UTF-16 code units.", sql: sql("endOffset", "endOffset") },
  { name: `${side}_exact`, type: "text", nullable: true, meaning: "The text at that place, exactly (TextQuoteSelector exact).", sql: sql("quoteExact", "quoteExact") },
  {
    name: `${side}_prefix`,
    type: "text",
    nullable: true,
    meaning: "Up to 32 UTF-16 code units of the paragraph just before it; a character cut in half at its start is dropped.",
    sql: sql("quotePrefix", "quotePrefix"),
    value: (e, x) => placement(e, side, x).prefix,
  },
  {
    name: `${side}_suffix`,
    type: "text",
    nullable: true,
    meaning: "Up to 32 UTF-16 code units just after it; a character cut in half at its end is dropped.",
    sql: sql("quoteSuffix", "quoteSuffix"),
    value: (e, x) => placement(e, side, x).suffix,
  },
];

const anchorEvents: TableDef<AnchorEventRow> = {
  name: "anchor_events",
  meaning:
    "What became of the exported contributions when their article was revised: one row per contribution and later version, written when that version was loaded and the platform re-anchored every contribution of the previous version onto it (docs/decisions/0029). A contribution has no row for the version it was written on (contributions' own selector is its place there); one re-anchored across versions 1 → 2 → 3 has two rows, 1 → 2 and 2 → 3. The old_ columns are its placement on from_version (the previous row's new_ columns, or the contribution's own selector when it was written on from_version); the new_ columns its placement on to_version, empty for an orphan.",
  source: {
    from: `"ContributionAnchoring" a JOIN ${FROM_CONTRIBUTIONS} ON c.id = a."contributionId"
      JOIN "ArticleVersion" tv ON tv.id = a."versionId"
      JOIN "ArticleVersion" pv ON pv."articleId" = tv."articleId" AND pv.number = tv.number - 1
      LEFT JOIN "ContributionAnchoring" pa ON pa."contributionId" = a."contributionId" AND pa."versionId" = pv.id`,
    alias: "a",
    extra: [{ name: "id", sql: "a.id", type: "uuid", nullable: false }],
  },
  columns: [
    { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution (contributions.contribution_id).", sql: `a."contributionId"` },
    { name: "article_id", type: "uuid", nullable: false, meaning: "The article (articles.article_id).", sql: `c."articleId"` },
    { name: "from_version_id", type: "uuid", nullable: false, meaning: "The version it was re-anchored from: the one before to_version (article_versions.version_id).", sql: "pv.id" },
    { name: "from_version", type: "integer", nullable: false, meaning: "That version's number (article_versions.version_number).", sql: "pv.number" },
    { name: "to_version_id", type: "uuid", nullable: false, meaning: "The version it was re-anchored onto (article_versions.version_id).", sql: "tv.id" },
    { name: "to_version", type: "integer", nullable: false, meaning: "That version's number: from_version + 1.", sql: "tv.number" },
    {
      name: "method",
      type: "enum",
      nullable: false,
      meaning:
        "exact: the author's quote occurs in to_version (after normalising quotes, dashes and white space). fuzzy: a close enough approximate match was placed (score at least 0.7, at most 40 % of the quote's length in errors). orphaned: no place was found; it stays an orphan in later versions.",
      allowed: ANCHORING_METHODS,
      sql: "lower(a.method::text)",
    },
    {
      name: "score",
      type: "number",
      nullable: false,
      meaning: "0-1, how well the placement matches what the author quoted: (50·quote + 20·prefix + 20·suffix + 2·position) / 92, as Hypothesis scores it; 1 for an unchanged paragraph.",
      sql: "a.score",
    },
    {
      name: "since_version",
      type: "integer",
      nullable: false,
      meaning: "The version number since which the contribution has been placed this way (same method and place; for an orphan, the version it was lost in).",
      sql: `a."sinceVersion"`,
    },
    ...SELECTOR_COLUMNS("old", OLD, "it was in on from_version"),
    ...SELECTOR_COLUMNS("new", (anchoring) => `a."${anchoring}"`, "it is in on to_version; empty for an orphan"),
    { name: "created_at", ...ts("When to_version was loaded and the contribution re-anchored,"), sql: ISO(`a."createdAt"`) },
  ],
};

const moderationEvents: TableDef<EventRow> = {
  name: "moderation_events",
  moderationOnly: true,
  meaning: "What happened to the exported contributions in moderation, oldest first, from the append-only audit log.",
  source: {
    from: `"ModerationLog" l JOIN ${FROM_CONTRIBUTIONS} ON c.id = l."contributionId" LEFT JOIN "User" au ON au.id = l."actorId"`,
    alias: "l",
    extra: [
      { name: "actor_id", sql: `l."actorId"`, type: "uuid", nullable: true },
      { name: "actor_opted_out", sql: `au."researchOptOut"`, type: "boolean", nullable: true },
    ],
  },
  columns: [
    { name: "event_id", type: "uuid", nullable: false, meaning: "The audit log entry's id.", sql: "l.id", field: "id" },
    { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution (contributions.contribution_id).", sql: `l."contributionId"` },
    {
      name: "action",
      type: "enum",
      nullable: false,
      meaning:
        "FLAG: a reader reported it. APPEAL: its author appealed. PUBLISH, HIDE, REJECT, RESTORE: a moderator's decision. KEEP: reviewed and kept, reports closed. AUTO_HIDE: hidden automatically after enough reports. REQUEUE_EDIT: sent back to review after an edit on a pre-moderated article. APPEAL_UPHELD, APPEAL_DENIED: the final decision on an appeal. UNDO: the moderator took back their last decision (from_status is the status the decision led to, to_status the one restored); the undone decision's own row stays. REATTACH: a moderator placed an orphan on a span of the current version by hand (its anchor_events row for that version then says fuzzy, score 1).",
      allowed: MODERATION_EVENT_ACTIONS,
      sql: "l.action::text",
    },
    {
      name: "actor_pseudonym",
      type: "pseudonym",
      nullable: true,
      meaning: "Who did it, as this study's pseudonym. Empty for automatic actions and for people who opted out of research exports.",
      value: (e, x) => (e.actor_id !== null && !e.actor_opted_out ? x.pseudonym(e.actor_id) : null),
      out: (q) => `CASE WHEN l."actorId" IS NOT NULL AND NOT coalesce(au."researchOptOut", false) THEN ${q.pseudonym(`l."actorId"`)} END`,
    },
    { name: "actor_kind", type: "enum", nullable: false, meaning: "SYSTEM for automatic actions, otherwise PERSON.", allowed: ["PERSON", "SYSTEM"], value: (e) => (e.actor_id !== null ? "PERSON" : "SYSTEM"), out: () => `CASE WHEN l."actorId" IS NOT NULL THEN 'PERSON' ELSE 'SYSTEM' END` },
    {
      name: "actor_role",
      type: "enum",
      nullable: true,
      meaning:
        "The actor's role when they acted (a reader flagging, an author appealing, a moderator or admin deciding). Empty for automatic actions, and for every entry logged before roles were recorded (before 2026-12-03): empty there means unknown, not automatic — see actor_kind.",
      allowed: ROLES,
      sql: `l."actorRole"::text`,
    },
    {
      name: "contribution_version",
      type: "integer",
      nullable: true,
      meaning:
        "The contribution's version when the entry was written: the text acted on is the contribution_revisions row of this contribution with the largest version not above it. Empty for entries logged before versions were recorded (before 2026-12-03).",
      sql: `l."contributionVersion"`,
    },
    { name: "from_status", type: "enum", nullable: true, meaning: "The status before the action.", allowed: STATUSES, sql: `l."fromStatus"::text` },
    { name: "to_status", type: "enum", nullable: true, meaning: "The status after the action.", allowed: STATUSES, sql: `l."toStatus"::text` },
    {
      name: "reason",
      type: "text",
      nullable: true,
      meaning:
        "The reason a moderator gave (shown to the author), or the system's explanation. Always empty for FLAG and APPEAL: readers' report notes and authors' appeal notes are private and not exported.",
      sql: "l.reason",
      value: (e) => (e.action === "FLAG" || e.action === "APPEAL" ? null : e.reason),
      out: () => `CASE WHEN l.action::text IN ('FLAG', 'APPEAL') THEN NULL ELSE l.reason END`,
    },
    { name: "created_at", ...ts("When it happened,"), sql: ISO(`l."createdAt"`) },
  ],
};

const flags: TableDef<FlagRow> = {
  name: "flags",
  moderationOnly: true,
  meaning: "Readers' reports on the exported contributions (one per reader per contribution). Report notes are private and not exported.",
  source: {
    from: `"Flag" fl JOIN ${FROM_CONTRIBUTIONS} ON c.id = fl."contributionId" JOIN "User" ru ON ru.id = fl."reporterId"`,
    alias: "fl",
    extra: [
      { name: "reporter_id", sql: `fl."reporterId"`, type: "uuid", nullable: false },
      { name: "reporter_opted_out", sql: `ru."researchOptOut"`, type: "boolean", nullable: false },
    ],
  },
  columns: [
    { name: "flag_id", type: "uuid", nullable: false, meaning: "The report's id.", sql: "fl.id", field: "id" },
    { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution reported (contributions.contribution_id).", sql: `fl."contributionId"` },
    {
      name: "reporter_pseudonym",
      type: "pseudonym",
      nullable: true,
      meaning: "The reader who reported it, as this study's pseudonym; empty if they opted out of research exports.",
      value: (g, x) => (g.reporter_opted_out ? null : x.pseudonym(g.reporter_id)),
      out: (q) => `CASE WHEN NOT ru."researchOptOut" THEN ${q.pseudonym(`fl."reporterId"`)} END`,
    },
    { name: "reason", type: "enum", nullable: false, meaning: "The reason chosen from the list.", allowed: FLAG_REASONS, sql: "fl.reason::text" },
    { name: "status", type: "enum", nullable: false, meaning: "OPEN until a moderator decided on the contribution, then RESOLVED.", allowed: ["OPEN", "RESOLVED"], sql: "fl.status::text" },
    { name: "created_at", ...ts("When it was reported (or last re-reported),"), sql: ISO(`fl."createdAt"`) },
    { name: "resolved_at", ...ts("When a moderator's decision closed it, or empty while open,", true), sql: ISO(`fl."resolvedAt"`) },
  ],
};

const revisions: TableDef<RevisionRow> = {
  name: "contribution_revisions",
  meaning:
    "The edit history of the exported contributions: the text as posted (the lowest version) and the text after each edit by its author. version is the contribution's version once that text was written; moderation decisions also raise a contribution's version without changing its text, so the text at version v is the revision with the largest version not above v (e.g. to read the text a moderation_events row decided on, use its contribution_version). Contributions posted before edit history was kept (2026-12-03) have one revision: their text at that time, at the version they had then; earlier texts were not kept.",
  source: { from: `"ContributionRevision" rv JOIN ${FROM_CONTRIBUTIONS} ON c.id = rv."contributionId"`, alias: "rv", extra: [{ name: "id", sql: "rv.id", type: "uuid", nullable: false }] },
  columns: [
    { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution (contributions.contribution_id).", sql: `rv."contributionId"` },
    { name: "version", type: "integer", nullable: false, meaning: "The contribution's version from which this text applies (1 when posted); unique per contribution.", sql: "rv.version" },
    { name: "body", type: "text", nullable: false, meaning: "What the author wrote in this version, exactly as stored (Markdown source, unrendered).", sql: "rv.body" },
    { name: "source_url", type: "url", nullable: true, meaning: "SOURCE only: the linked address in this version.", sql: `rv."sourceUrl"` },
    { name: "source_title", type: "text", nullable: true, meaning: "SOURCE only: the link's title in this version, if any.", sql: `rv."sourceTitle"` },
    { name: "stance", type: "enum", nullable: true, meaning: "SOURCE only: the stance in this version.", allowed: STANCES, sql: "rv.stance::text" },
    ...SOURCE_DETAILS("rv"),
    { name: "created_at", ...ts("When this text was written (posted or saved after an edit),"), sql: ISO(`rv."createdAt"`) },
  ],
};

/** Ratings by people who opted out of research: left out of `ratings`, and counted. */
export const RATER_OPTED_OUT = `ru."researchOptOut"`;

const ratings: TableDef<RatingRow> = {
  name: "ratings",
  meaning:
    "Readers' ratings of the exported contributions (one per reader per contribution, as last changed). Ratings by people who opted out of research exports are not exported at all; manifest.json counts them (counts.ratingsOptedOutExcluded).",
  source: {
    from: `"Rating" r JOIN ${FROM_CONTRIBUTIONS} ON c.id = r."contributionId" JOIN "User" ru ON ru.id = r."raterId"`,
    alias: "r",
    where: (w) => `${w} AND NOT ${RATER_OPTED_OUT}`,
    extra: [{ name: "rater_id", sql: `r."raterId"`, type: "uuid", nullable: false }],
  },
  columns: [
    { name: "rating_id", type: "uuid", nullable: false, meaning: "The rating's id.", sql: "r.id", field: "id" },
    { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution rated (contributions.contribution_id).", sql: `r."contributionId"` },
    {
      name: "rater_pseudonym",
      type: "pseudonym",
      nullable: false,
      meaning: "The rater, as this study's pseudonym: the same person has the same pseudonym as an author (contributions.author_pseudonym) and elsewhere in the export.",
      value: (r, x) => x.pseudonym(r.rater_id),
      out: (q) => q.pseudonym(`r."raterId"`),
    },
    { name: "value", type: "enum", nullable: false, meaning: "How helpful the rater found it.", allowed: RATING_VALUES, sql: "r.value::text" },
    {
      name: "tags",
      type: "list",
      nullable: false,
      meaning: `The reasons the rater ticked, in the order stored; possibly none. JSONL: an array of strings ([] for none). CSV: the reasons joined by \`${LIST_SEPARATOR}\` (no spaces; \`""\` for none) — no reason contains \`${LIST_SEPARATOR}\`.`,
      allowed: RATING_TAGS,
      sql: `array_to_json(r.tags)::text`,
      value: (r) => JSON.parse(r.tags) as string[],
      out: () => "r.tags",
    },
    { name: "created_at", ...ts("When it was first given,"), sql: ISO(`r."createdAt"`) },
    { name: "updated_at", ...ts("When it was last changed (equal to created_at if never),"), sql: ISO(`r."updatedAt"`) },
  ],
};

const scores: TableDef<ScoreRow> = {
  name: "contribution_scores",
  meaning:
    "The stored score history of the exported contributions: one row per scoring run that scored the contribution (scoring_runs). The platform fits its model on all counting ratings, including those of people who opted out (which are not in ratings), so a refit from the exported ratings can differ slightly.",
  source: {
    from: `"ContributionScoreHistory" h JOIN ${FROM_CONTRIBUTIONS} ON c.id = h."contributionId"`,
    alias: "h",
    extra: [],
    order: [
      { sql: `h."scoredAt"`, field: "scored_at", cast: "timestamptz" },
      { sql: `h."runId"`, field: "run_id", cast: "uuid" },
      { sql: `h."contributionId"`, field: "contribution_id", cast: "uuid" },
    ],
  },
  columns: [
    { name: "run_id", type: "uuid", nullable: false, meaning: "The scoring run (scoring_runs.run_id).", sql: `h."runId"` },
    { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution scored (contributions.contribution_id).", sql: `h."contributionId"` },
    { name: "intercept", type: "number", nullable: false, meaning: "The contribution's fitted intercept: helpfulness beyond what raters' viewpoints explain.", sql: "h.intercept" },
    { name: "factor", type: "number", nullable: false, meaning: "The contribution's fitted factor: where it sits on the raters' main axis of disagreement.", sql: "h.factor" },
    { name: "rating_count", type: "integer", nullable: false, meaning: "Counting ratings of the contribution in that run.", sql: `h."ratingCount"` },
    { name: "fit_rating_count", type: "integer", nullable: false, meaning: "Of those, the ratings by raters who were in the fit.", sql: `h."fitRatingCount"` },
    {
      name: "status",
      type: "enum",
      nullable: false,
      meaning: "The ranking status the run gave it: too few ratings, rated, or helpful across perspectives.",
      allowed: RANKING_STATUSES,
      sql: "h.status::text",
    },
    { name: "scored_at", ...ts("When the run scored it,"), sql: ISO(`h."scoredAt"`) },
  ],
};

const runs: TableDef<RunRow> = {
  name: "scoring_runs",
  meaning:
    "The scoring runs that contribution_scores rows refer to. Their counts and fit statistics are over the whole platform at the time of the run, not only this export.",
  source: {
    from: `"ScoringRun" sr`,
    alias: "sr",
    where: (w) => `EXISTS (SELECT 1 FROM "ContributionScoreHistory" h JOIN ${FROM_CONTRIBUTIONS} ON c.id = h."contributionId" WHERE h."runId" = sr.id AND ${w})`,
    extra: [],
    order: [
      { sql: `sr."startedAt"`, field: "started_at", cast: "timestamptz" },
      { sql: "sr.id", field: "run_id", cast: "uuid" },
    ],
  },
  columns: [
    { name: "run_id", type: "uuid", nullable: false, meaning: "The run's id.", sql: "sr.id" },
    { name: "started_at", ...ts("When the run started,"), sql: ISO(`sr."startedAt"`) },
    { name: "finished_at", ...ts("When it finished,"), sql: ISO(`sr."finishedAt"`) },
    {
      name: "trigger",
      type: "enum",
      nullable: false,
      meaning: "What started it: the schedule, enough new ratings, or an operator.",
      allowed: SCORING_TRIGGERS,
      sql: "sr.trigger",
    },
    { name: "ratings_count", type: "integer", nullable: false, meaning: "Counting ratings read (on published, undeleted contributions).", sql: `sr."ratingsCount"` },
    { name: "ratings_fitted", type: "integer", nullable: false, meaning: "Of those, the ratings that entered the fit.", sql: `sr."ratingsFitted"` },
    { name: "raters_fitted", type: "integer", nullable: false, meaning: "Raters in the fit.", sql: `sr."ratersFitted"` },
    { name: "raters_excluded", type: "integer", nullable: false, meaning: "Raters left out of the fit (too few ratings).", sql: `sr."ratersExcluded"` },
    { name: "items_scored", type: "integer", nullable: false, meaning: "Contributions scored.", sql: `sr."itemsScored"` },
    { name: "helpful_count", type: "integer", nullable: false, meaning: "Contributions the run found helpful across perspectives.", sql: `sr."helpfulCount"` },
    { name: "iterations", type: "integer", nullable: false, meaning: "Alternating-least-squares sweeps run.", sql: "sr.iterations" },
    { name: "converged", type: "boolean", nullable: false, meaning: "true when the fit converged within the maximum number of sweeps.", sql: "sr.converged" },
    { name: "mu", type: "number", nullable: false, meaning: "The fitted global mean.", sql: "sr.mu" },
    { name: "rmse", type: "number", nullable: false, meaning: "Root mean square error of the fit.", sql: "sr.rmse" },
    {
      name: "parameters",
      type: "text",
      nullable: false,
      meaning: "The model parameters and thresholds the run used, as a JSON object in text (docs/decisions/0026-bridging-ranking.md).",
      sql: "sr.parameters::text",
    },
  ],
};

export const TABLES: readonly TableDef[] = [articles, versions, paragraphs, contributions, anchorEvents, revisions, ratings, scores, runs, moderationEvents, flags];

export function tableDef(name: TableName): TableDef {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}

/** Whether each column is text the CSV formula guard applies to, when the export asks for it (see csv.ts). */
export function textColumnMask(def: TableDef): boolean[] {
  return def.columns.map((c) => c.type === "text");
}
