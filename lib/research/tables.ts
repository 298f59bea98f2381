/**
 * The tables of a research export: one definition per table, used for the CSV header, the JSONL
 * keys (same names, same order) and data-dictionary.md. Change a column here and all three change.
 * Bump SCHEMA_VERSION when a column is added, removed or changes meaning.
 */

import { FLAG_REASONS } from "@/lib/moderation/schemas";

export const SCHEMA_VERSION = "1.0";

export type ColumnType = "uuid" | "text" | "integer" | "boolean" | "timestamp" | "enum" | "url" | "pseudonym";

export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
  meaning: string;
  allowed?: readonly string[];
}

export interface TableDef {
  name: TableName;
  meaning: string;
  columns: readonly Column[];
  /** Only with "include moderation events". */
  moderationOnly?: boolean;
}

export type TableName = "articles" | "article_versions" | "paragraphs" | "contributions" | "moderation_events" | "flags";

export const KINDS = ["ANNOTATION", "COUNTERPOINT", "SOURCE"] as const;
export const STATUSES = ["PUBLISHED", "PENDING", "HIDDEN", "REJECTED"] as const;
export const STANCES = ["SUPPORTS", "REFUTES", "CONTEXT"] as const;
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
] as const;

const ts = (meaning: string, nullable = false): Omit<Column, "name"> => ({
  type: "timestamp",
  nullable,
  meaning: `${meaning} UTC, ISO 8601 with milliseconds and Z (e.g. 2026-11-27T09:30:00.000Z).`,
});

export const TABLES: readonly TableDef[] = [
  {
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
      { name: "url", type: "url", nullable: false, meaning: "The article's web address on this platform." },
    ],
  },
  {
    name: "article_versions",
    meaning: "Every version of those articles. Contributions point at the version they were written on.",
    columns: [
      { name: "version_id", type: "uuid", nullable: false, meaning: "The version's id." },
      { name: "article_id", type: "uuid", nullable: false, meaning: "The article (articles.article_id)." },
      { name: "version_number", type: "integer", nullable: false, meaning: "1 for the first version, then 2, 3, …" },
      { name: "title", type: "text", nullable: false, meaning: "The title in this version." },
      { name: "content_sha256", type: "text", nullable: false, meaning: "sha256 (hex) of the version's source file, as loaded." },
      { name: "paragraph_count", type: "integer", nullable: false, meaning: "How many paragraphs the version has." },
      {
        name: "text_length",
        type: "integer",
        nullable: false,
        meaning: "Length in Unicode code points of the version's plain text: its paragraphs in order, joined by a blank line (two line feeds).",
      },
      { name: "created_at", ...ts("When the version was loaded,") },
      { name: "source_iri", type: "url", nullable: false, meaning: "The IRI that JSON-LD annotations use as their target's source for this version." },
    ],
  },
  {
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
  },
  {
    name: "contributions",
    meaning: "Annotations, counterpoints and source links, one row each. Deleted ones and those of people who opted out are never exported.",
    columns: [
      { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution's id (in JSON-LD: urn:uuid:<id>)." },
      { name: "article_id", type: "uuid", nullable: false, meaning: "The article (articles.article_id)." },
      { name: "version_id", type: "uuid", nullable: false, meaning: "The version the claim was selected in (article_versions.version_id)." },
      { name: "paragraph_id", type: "uuid", nullable: false, meaning: "The paragraph the claim is in (paragraphs.paragraph_id)." },
      { name: "anchor_id", type: "text", nullable: false, meaning: "That paragraph's anchor." },
      {
        name: "kind",
        type: "enum",
        nullable: false,
        meaning: "ANNOTATION: a comment on the claim. COUNTERPOINT: an argument against it. SOURCE: a link to evidence.",
        allowed: KINDS,
      },
      {
        name: "status",
        type: "enum",
        nullable: false,
        meaning: "Moderation status at export time. Only PUBLISHED items were visible to readers; other statuses are exported to admins only, when asked for.",
        allowed: STATUSES,
      },
      { name: "publicly_visible", type: "boolean", nullable: false, meaning: "true when status is PUBLISHED (what readers could see at export time)." },
      { name: "author_pseudonym", type: "pseudonym", nullable: false, meaning: "The author, as this study's pseudonym (see manifest.json, pseudonymisation)." },
      { name: "body", type: "text", nullable: false, meaning: "What the author wrote, exactly as stored (plain text; may be empty for a source link)." },
      { name: "source_url", type: "url", nullable: true, meaning: "SOURCE only: the linked address (http or https)." },
      { name: "source_title", type: "text", nullable: true, meaning: "SOURCE only: the title the author gave the link, if any." },
      { name: "stance", type: "enum", nullable: true, meaning: "SOURCE only: whether the source supports, refutes or gives context to the claim.", allowed: STANCES },
      { name: "quote_exact", type: "text", nullable: false, meaning: "The selected claim, exactly (TextQuoteSelector exact)." },
      {
        name: "quote_prefix",
        type: "text",
        nullable: false,
        meaning: "Up to 32 UTF-16 code units of the paragraph just before the claim (TextQuoteSelector prefix); a character cut in half at its start is dropped.",
      },
      {
        name: "quote_suffix",
        type: "text",
        nullable: false,
        meaning: "Up to 32 UTF-16 code units just after the claim (TextQuoteSelector suffix); a character cut in half at its end is dropped.",
      },
      { name: "start", type: "integer", nullable: false, meaning: "Where the claim starts in the paragraph's text, in Unicode code points (TextPositionSelector)." },
      { name: "end", type: "integer", nullable: false, meaning: "Where the claim ends (exclusive), in code points." },
      { name: "start_utf16", type: "integer", nullable: false, meaning: "The same start in UTF-16 code units (what JavaScript's String.slice uses)." },
      { name: "end_utf16", type: "integer", nullable: false, meaning: "The same end in UTF-16 code units." },
      { name: "whole_paragraph", type: "boolean", nullable: false, meaning: "true when the author responded to the whole paragraph rather than a span of it." },
      { name: "parent_id", type: "uuid", nullable: true, meaning: "For a reply: the contribution it replies to. Empty for top-level contributions." },
      { name: "created_at", ...ts("When it was posted,") },
      { name: "edited_at", ...ts("When its author last edited the text, or empty if never,", true) },
    ],
  },
  {
    name: "moderation_events",
    moderationOnly: true,
    meaning: "What happened to the exported contributions in moderation, oldest first, from the append-only audit log.",
    columns: [
      { name: "event_id", type: "uuid", nullable: false, meaning: "The audit log entry's id." },
      { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution (contributions.contribution_id)." },
      {
        name: "action",
        type: "enum",
        nullable: false,
        meaning:
          "FLAG: a reader reported it. APPEAL: its author appealed. PUBLISH, HIDE, REJECT, RESTORE: a moderator's decision. KEEP: reviewed and kept, reports closed. AUTO_HIDE: hidden automatically after enough reports. REQUEUE_EDIT: sent back to review after an edit on a pre-moderated article. APPEAL_UPHELD, APPEAL_DENIED: the final decision on an appeal.",
        allowed: MODERATION_EVENT_ACTIONS,
      },
      {
        name: "actor_pseudonym",
        type: "pseudonym",
        nullable: true,
        meaning: "Who did it, as this study's pseudonym. Empty for automatic actions and for people who opted out of research exports.",
      },
      { name: "actor_kind", type: "enum", nullable: false, meaning: "SYSTEM for automatic actions, otherwise PERSON.", allowed: ["PERSON", "SYSTEM"] },
      { name: "from_status", type: "enum", nullable: true, meaning: "The status before the action.", allowed: STATUSES },
      { name: "to_status", type: "enum", nullable: true, meaning: "The status after the action.", allowed: STATUSES },
      {
        name: "reason",
        type: "text",
        nullable: true,
        meaning:
          "The reason a moderator gave (shown to the author), or the system's explanation. Always empty for FLAG and APPEAL: readers' report notes and authors' appeal notes are private and not exported.",
      },
      { name: "created_at", ...ts("When it happened,") },
    ],
  },
  {
    name: "flags",
    moderationOnly: true,
    meaning: "Readers' reports on the exported contributions (one per reader per contribution). Report notes are private and not exported.",
    columns: [
      { name: "flag_id", type: "uuid", nullable: false, meaning: "The report's id." },
      { name: "contribution_id", type: "uuid", nullable: false, meaning: "The contribution reported (contributions.contribution_id)." },
      {
        name: "reporter_pseudonym",
        type: "pseudonym",
        nullable: true,
        meaning: "The reader who reported it, as this study's pseudonym; empty if they opted out of research exports.",
      },
      { name: "reason", type: "enum", nullable: false, meaning: "The reason chosen from the list.", allowed: FLAG_REASONS },
      { name: "status", type: "enum", nullable: false, meaning: "OPEN until a moderator decided on the contribution, then RESOLVED.", allowed: ["OPEN", "RESOLVED"] },
      { name: "created_at", ...ts("When it was reported (or last re-reported),") },
      { name: "resolved_at", ...ts("When a moderator's decision closed it, or empty while open,", true) },
    ],
  },
];

export function tableDef(name: TableName): TableDef {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}

/** Whether each column is guarded text in CSV (see csv.ts). */
export function textColumnMask(def: TableDef): boolean[] {
  return def.columns.map((c) => c.type === "text");
}
