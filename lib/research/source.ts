import { escapeLiteral } from "pg";
import type { SnapshotConnection } from "@/lib/db/client";
import type { SqlConnection } from "@/lib/db/sql";
import type { ExportFilters } from "./schemas";
import { contributionsWithCurrentPlacement, FROM_CONTRIBUTIONS, ISO, KINDS, RATER_OPTED_OUT, tableDef, TABLES, type ColumnType, type OrderKey, type TableDef, type TableName } from "./tables";
import { csvFieldSql, FROM_CONTRIBUTIONS_WITH_PSEUDONYM, jsonLineSql, outSql, withKeys, type SqlContext } from "./sql-format";
import { codePointLength, PARAGRAPH_SEPARATOR } from "./text-positions";

/**
 * The SQL side of a research export: which contributions a set of filters selects, and the
 * rows of every table (their columns as tables.ts defines them), streamed in batches ordered by (createdAt, id) — through COPY inside the
 * export's snapshot transaction on a PostgreSQL server, keyset-paged on the embedded database —
 * so memory stays bounded however many rows there are. Timestamps are formatted by PostgreSQL as
 * ISO 8601 UTC strings (no Date objects per row).
 */

export const BATCH_SIZE = 5000;

export interface ArticleRow {
  article_id: string;
  slug: string;
  title: string;
  publisher: string | null;
  moderation_policy: string;
}

export interface VersionRow {
  version_id: string;
  article_id: string;
  slug: string;
  version_number: number;
  title: string;
  content_sha256: string;
  created_at: string;
}

export interface ParagraphInfo {
  paragraph_id: string;
  version_id: string;
  position: number;
  anchor_id: string;
  text: string;
  length: number;
  version_text_start: number;
}

/** The fields a streamed table's row is read into: tables.ts says which SQL fills each. */
export interface ContributionRow {
  id: string;
  article_id: string;
  version_id: string;
  paragraph_id: string;
  anchor_id: string;
  kind: string;
  status: string;
  author_id: string;
  body: string;
  source_url: string | null;
  source_title: string | null;
  stance: string | null;
  source_domain: string | null;
  source_doi: string | null;
  source_archive_url: string | null;
  source_quote: string | null;
  quote_exact: string;
  quote_prefix: string;
  quote_suffix: string;
  start_utf16: number;
  end_utf16: number;
  whole_paragraph: boolean;
  parent_id: string | null;
  root_id: string | null;
  depth: number;
  created_at: string;
  edited_at: string | null;
  version: number;
  /**
   * JSON-LD only (tables.ts, contributionsWithCurrentPlacement): where the contribution sits on its
   * article's latest version, when it was re-anchored there (null when it was written on it).
   */
  current_version_id?: string | null;
  current_method?: string | null;
  current_score?: number | null;
  current_since_version?: number | null;
  current_paragraph_id?: string | null;
  current_anchor_id?: string | null;
  current_start_utf16?: number | null;
  current_end_utf16?: number | null;
  current_exact?: string | null;
}

/** One ContributionAnchoring row of an exported contribution, with the placement it came from. */
export interface AnchorEventRow {
  id: string;
  contribution_id: string;
  article_id: string;
  from_version_id: string;
  from_version: number;
  to_version_id: string;
  to_version: number;
  method: string;
  score: number;
  since_version: number;
  old_paragraph_id: string | null;
  old_anchor_id: string | null;
  old_start_utf16: number | null;
  old_end_utf16: number | null;
  old_exact: string | null;
  old_prefix: string | null;
  old_suffix: string | null;
  new_paragraph_id: string | null;
  new_anchor_id: string | null;
  new_start_utf16: number | null;
  new_end_utf16: number | null;
  new_exact: string | null;
  new_prefix: string | null;
  new_suffix: string | null;
  created_at: string;
}

export interface EventRow {
  id: string;
  contribution_id: string;
  action: string;
  actor_id: string | null;
  actor_opted_out: boolean | null;
  actor_role: string | null;
  contribution_version: number | null;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  created_at: string;
}

export interface FlagRow {
  id: string;
  contribution_id: string;
  reporter_id: string;
  reporter_opted_out: boolean;
  reason: string;
  status: string;
  created_at: string;
  resolved_at: string | null;
}

export interface RevisionRow {
  id: string;
  contribution_id: string;
  version: number;
  body: string;
  source_url: string | null;
  source_title: string | null;
  stance: string | null;
  source_doi: string | null;
  source_archive_url: string | null;
  source_quote: string | null;
  created_at: string;
}

export interface RatingRow {
  id: string;
  contribution_id: string;
  rater_id: string;
  value: string;
  /** The tags as a JSON array, as PostgreSQL writes it (array_to_json). */
  tags: string;
  created_at: string;
  updated_at: string;
}

export interface ScoreRow {
  run_id: string;
  contribution_id: string;
  intercept: number;
  factor: number;
  rating_count: number;
  fit_rating_count: number;
  status: string;
  scored_at: string;
}

export interface RunRow {
  run_id: string;
  started_at: string;
  finished_at: string;
  trigger: string;
  ratings_count: number;
  ratings_fitted: number;
  raters_fitted: number;
  raters_excluded: number;
  items_scored: number;
  helpful_count: number;
  iterations: number;
  converged: boolean;
  mu: number;
  rmse: number;
  parameters: string;
}

/** The articles an export covers: those named, or all. Unknown slugs are reported, not ignored. */
export async function resolveArticles(conn: SqlConnection, slugs: readonly string[]): Promise<{ rows: ArticleRow[]; unknown: string[] }> {
  const rows = await conn.query<ArticleRow>(
    `SELECT a.id AS article_id, a.slug, a."moderationPolicy"::text AS moderation_policy,
            lv.title, lv.frontmatter->>'publisher' AS publisher
       FROM "Article" a
       JOIN LATERAL (SELECT v.title, v.frontmatter FROM "ArticleVersion" v
                      WHERE v."articleId" = a.id ORDER BY v.number DESC LIMIT 1) lv ON true
      WHERE cardinality($1::text[]) = 0 OR a.slug = ANY($1::text[])
      ORDER BY a.slug`,
    [slugs],
  );
  const found = new Set(rows.map((r) => r.slug));
  return { rows, unknown: slugs.filter((s) => !found.has(s)) };
}

export async function loadVersions(conn: SqlConnection, articleIds: readonly string[]): Promise<VersionRow[]> {
  return conn.query<VersionRow>(
    `SELECT v.id AS version_id, v."articleId" AS article_id, a.slug, v.number AS version_number, v.title,
            v."contentHash" AS content_sha256, ${ISO(`v."createdAt"`)} AS created_at
       FROM "ArticleVersion" v JOIN "Article" a ON a.id = v."articleId"
      WHERE v."articleId" = ANY($1::uuid[])
      ORDER BY a.slug, v.number`,
    [articleIds],
  );
}

/** Every paragraph of those versions, with code-point lengths and starts in the version text. */
export async function loadParagraphs(conn: SqlConnection, versionIds: readonly string[]): Promise<ParagraphInfo[]> {
  const rows = await conn.query<{ paragraph_id: string; version_id: string; position: number; anchor_id: string; text: string }>(
    `SELECT p.id AS paragraph_id, p."versionId" AS version_id, p.position, p."anchorId" AS anchor_id, p.text
       FROM "Paragraph" p
      WHERE p."versionId" = ANY($1::uuid[])
      ORDER BY array_position($1::uuid[], p."versionId"), p.position`,
    [versionIds],
  );
  const out: ParagraphInfo[] = [];
  let version = "";
  let offset = 0;
  for (const r of rows) {
    if (r.version_id !== version) {
      version = r.version_id;
      offset = 0;
    } else {
      offset += PARAGRAPH_SEPARATOR.length;
    }
    const length = codePointLength(r.text);
    out.push({ ...r, length, version_text_start: offset });
    offset += length;
  }
  return out;
}

/** The WHERE clause (and its parameters) shared by every query over the selected contributions. */
export function contributionFilter(
  f: ExportFilters,
  articleIds: readonly string[],
  optedOut: boolean,
): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds = [`c."deletedAt" IS NULL`, optedOut ? `u."researchOptOut"` : `NOT u."researchOptOut"`];
  conds.push(`c."articleId" = ANY(${p(articleIds)}::uuid[])`);
  if (f.from) conds.push(`c."createdAt" >= ${p(`${f.from}T00:00:00.000Z`)}::timestamptz`);
  if (f.to) conds.push(`c."createdAt" < (${p(f.to)}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  // Compared as the enum types, not as text, so the planner uses the columns' statistics: as text
  // it guessed ~2 % of the rows would match and sorted a million rows it took for 20,000, instead
  // of reading them in index order. (The parameters stay text[], which both drivers can send.)
  if (f.kinds.length < KINDS.length) conds.push(`c.kind = ANY(${p(f.kinds)}::text[]::"ContributionKind"[])`);
  conds.push(`c.status = ANY(${p(f.statuses)}::text[]::"ContributionStatus"[])`);
  return { where: conds.join(" AND "), params };
}

export interface Counts {
  contributions: number;
  optedOutExcluded: number;
  contributionRevisions: number;
  /** Rows of anchor_events: one per re-anchoring of an exported contribution onto a later version. */
  anchorEvents: number;
  ratings: number;
  /** Ratings of the exported contributions by raters who opted out: not exported. */
  ratingsOptedOutExcluded: number;
  contributionScores: number;
  scoringRuns: number;
  moderationEvents: number;
  flags: number;
}

/** The counts field of each streamed table but contributions (whose count has its own query). */
export const COUNTED: readonly [TableName, Exclude<keyof Counts, "contributions" | "optedOutExcluded" | "ratingsOptedOutExcluded">][] = [
  ["anchor_events", "anchorEvents"],
  ["contribution_revisions", "contributionRevisions"],
  ["ratings", "ratings"],
  ["contribution_scores", "contributionScores"],
  ["scoring_runs", "scoringRuns"],
  ["moderation_events", "moderationEvents"],
  ["flags", "flags"],
];

export async function countRows(
  conn: SqlConnection,
  f: ExportFilters,
  articleIds: readonly string[],
): Promise<Counts> {
  const inc = contributionFilter(f, articleIds, false);
  const out = contributionFilter(f, articleIds, true);
  const count = async (from: string, where: string, params: unknown[]) =>
    (await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`, params))[0]!.n;
  const ratings = tableDef("ratings").source!;
  const counts: Counts = {
    contributions: await count(FROM_CONTRIBUTIONS, inc.where, inc.params),
    optedOutExcluded: await count(FROM_CONTRIBUTIONS, out.where, out.params),
    contributionRevisions: 0,
    anchorEvents: 0,
    ratings: 0,
    ratingsOptedOutExcluded: await count(ratings.from, `${inc.where} AND ${RATER_OPTED_OUT}`, inc.params),
    contributionScores: 0,
    scoringRuns: 0,
    moderationEvents: 0,
    flags: 0,
  };
  for (const [name, key] of COUNTED) {
    const def = tableDef(name);
    if (def.moderationOnly && !f.includeModeration) continue;
    counts[key] = await count(def.source!.from, scope(def, inc.where), inc.params);
  }
  return counts;
}

/** The streamed tables written for these filters, in TABLES order (contributions included). */
export function streamedTables(f: ExportFilters): TableDef[] {
  return TABLES.filter((t) => t.source && (!t.moderationOnly || f.includeModeration));
}

/** What one field of a streamed table reads: its name in the row, its SQL, how COPY's text of it is parsed. */
interface ReadField {
  name: string;
  sql: string;
  parse: (s: string) => string | number | boolean | null;
}

// Fields of COPY's text format: \N is NULL; backslash escapes for control characters and itself.
const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const unescape = (s: string): string => (s.indexOf("\\") === -1 ? s : s.replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c));
/** int4 (as node-postgres parses it), float8 and boolean columns; everything else is text. */
const int = (s: string): number => parseInt(s, 10);
const bool = (s: string): boolean => s === "t";
/** float8 as node-postgres parses it (COPY's text is the shortest exact form, so the same number). */
const float = (s: string): number => parseFloat(s);
const base: Record<string, (s: string) => string | number | boolean> = { integer: int, number: float, boolean: bool };
const parser = (type: ColumnType, nullable: boolean) => {
  const p = base[type] ?? unescape;
  return nullable ? (s: string) => (s === "\\N" ? null : p(s)) : p;
};

/** The fields a streamed table reads, in SELECT order: its columns that name SQL, then the extra ones. */
function readFields(def: TableDef): ReadField[] {
  if (!def.source) throw new Error(`${def.name} is not streamed from the database`);
  const fromColumns = def.columns.flatMap((c) => (c.sql ? [{ name: c.field ?? c.name, sql: c.sql, type: c.type, nullable: c.nullable }] : []));
  return [...fromColumns, ...def.source.extra].map((f) => ({ name: f.name, sql: f.sql, parse: parser(f.type, f.nullable) }));
}

/** The table's rows' condition, given the selected contributions' one. */
const scope = (def: TableDef, where: string): string => (def.source!.where ? def.source!.where(where) : where);

/** The keys that order (and page) the table's rows: ("createdAt", id) of its alias unless it names others. */
function orderKeys(def: TableDef): readonly OrderKey[] {
  const { alias, order } = def.source!;
  return (
    order ?? [
      { sql: `${alias}."createdAt"`, field: "created_at", cast: "timestamptz" },
      { sql: `${alias}.id`, field: "id", cast: "uuid" },
    ]
  );
}

/** The table's query over the selected contributions, with `key` as the keyset condition. */
function tableQuery(def: TableDef, where: string, key: string): string {
  const select = readFields(def).map((f) => `${f.sql} AS "${f.name}"`).join(", ");
  return `SELECT ${select} FROM ${def.source!.from} WHERE ${scope(def, where)} AND ${key} ORDER BY ${orderKeys(def).map((k) => k.sql).join(", ")}`;
}

/** The whole query for COPY (parameters inlined): what the export reads for `table`, and what bench/export.mts measures. */
export function copyQuery(table: TableDef, f: ExportFilters, articleIds: readonly string[]): string {
  const { where, params } = contributionFilter(f, articleIds, false);
  return inlineParams(tableQuery(table, where, "TRUE"), params);
}

/**
 * The rows of a streamed table in batches, in its (createdAt, id) order.
 *
 * On a PostgreSQL server (withReadSnapshot's connection, inside the export's snapshot): one
 * `COPY (<the query>) TO STDOUT`, whose rows arrive as lines of text that the table's fields
 * parse into the same row objects the query would give — the same strings, numbers and booleans,
 * so every format's bytes are unchanged. Receiving a million rows this way took this process 3.7 s
 * of CPU instead of 9.9 s as query results (node-postgres decodes every field on its own, and the
 * many small strings kept the garbage collector busy), and the query is planned once. (Keyset
 * paging on a server was planned anew for every batch and, with a filter the planner misjudges,
 * switched to sorting the whole remainder for each batch near the end: quadratic over a million
 * rows.) See docs/perf.md, "Research export at scale".
 *
 * Otherwise (the embedded database): keyset pages of BATCH_SIZE over the table's order keys
 * ((createdAt, id) of its alias unless it names others).
 */
export async function* streamTable<R extends object>(
  conn: SnapshotConnection,
  table: TableDef<R>,
  f: ExportFilters,
  articleIds: readonly string[],
): AsyncGenerator<R[]> {
  const def = table as TableDef;
  const { where, params } = contributionFilter(f, articleIds, false);
  if (conn.copyRows) {
    const fields = readFields(def);
    const n = fields.length;
    for await (const lines of conn.copyRows(copyQuery(def, f, articleIds))) {
      const rows = new Array<R>(lines.length);
      for (let i = 0; i < lines.length; i++) {
        const values = lines[i]!.split("\t");
        if (values.length !== n) throw new Error(`COPY gave ${values.length} fields, expected ${n}`);
        const row: Record<string, unknown> = {};
        for (let j = 0; j < n; j++) row[fields[j]!.name] = fields[j]!.parse(values[j]!);
        rows[i] = row as R;
      }
      yield rows;
    }
    return;
  }
  const keys = orderKeys(def);
  const keyset = `(${keys.map((k) => k.sql).join(", ")}) > (${keys.map((k, i) => `$${params.length + i + 1}::${k.cast}`).join(", ")})`;
  let after: unknown[] | null = null;
  for (;;) {
    const rows: R[] = await conn.query<R>(`${tableQuery(def, where, after ? keyset : "TRUE")} LIMIT ${BATCH_SIZE}`, after ? [...params, ...after] : params);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH_SIZE) return;
    const last = rows[rows.length - 1] as Record<string, unknown>;
    after = keys.map((k) => last[k.field]);
  }
}

/** $1, $2, … as SQL literals (COPY takes no parameters): strings quoted and escaped, arrays as array literals. */
function inlineParams(sql: string, params: readonly unknown[]): string {
  const literal = (v: unknown): string => {
    if (Array.isArray(v)) return escapeLiteral(`{${v.map((x) => `"${String(x).replace(/["\\]/g, "\\$&")}"`).join(",")}}`);
    if (typeof v !== "string") throw new Error(`unexpected parameter ${String(v)}`);
    return escapeLiteral(v);
  };
  return sql.replace(/\$(\d+)\b/g, (_, n: string) => literal(params[Number(n) - 1]));
}

/**
 * The COPY statement that writes `table`'s rows as the file has them (sql-format.ts): FORMAT csv
 * with one field per column (COPY quotes as csv.ts does; each record ends in LF), or for JSONL
 * one text field holding the whole line, in FORMAT binary (its bytes unescaped). Null when a
 * column has no SQL twin (a float8 column: JavaScript prints numbers its own way), and then the
 * table is written through the JavaScript path.
 */
export function formattedCopy(
  table: TableDef,
  f: ExportFilters,
  articleIds: readonly string[],
  opts: { format: "csv" | "jsonl"; studyId: string; formulaGuard: boolean; sql: SqlContext },
): string | null {
  const outs = table.columns.map((column) => ({ column, value: outSql(column, opts.sql) }));
  if (outs.some((o) => o.value === null)) return null;
  const values = outs as { column: (typeof outs)[number]["column"]; value: string }[];
  const select =
    opts.format === "csv" ? values.map((o) => csvFieldSql(o.column, o.value, opts.formulaGuard && o.column.type === "text")).join(", ") : jsonLineSql(values);
  let from = table.source!.from;
  if (select.includes(opts.sql.authorPseudonym)) {
    if (!from.includes(FROM_CONTRIBUTIONS)) throw new Error(`${table.name}: the author's pseudonym needs ${FROM_CONTRIBUTIONS}`);
    from = from.replace(FROM_CONTRIBUTIONS, FROM_CONTRIBUTIONS_WITH_PSEUDONYM);
  }
  const { where, params } = contributionFilter(f, articleIds, false);
  const query = `${withKeys(opts.studyId)}SELECT ${select} FROM ${from} WHERE ${scope(table, where)} ORDER BY ${orderKeys(table).map((k) => k.sql).join(", ")}`;
  return `COPY (${inlineParams(query, params)}) TO STDOUT (FORMAT ${opts.format === "csv" ? "csv" : "binary"})`;
}

/** The binary COPY signature (11 bytes), then flags and header-extension length (int32 each). */
const BINARY_SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Runs a formattedCopy statement and hands each row's final bytes, without its line end, to
 * `row(chunk, start, end)` — valid only during the call (see copyOut). Returns the row count.
 */
export async function copyFormatted(
  conn: SnapshotConnection,
  statement: string,
  format: "csv" | "jsonl",
  row: (chunk: Buffer, start: number, end: number) => Promise<void> | undefined,
): Promise<number> {
  if (!conn.copyOut) throw new Error("COPY is not available on this database");
  let rows = 0;
  let first = true;
  let ended = false;
  await conn.copyOut(statement, (chunk) => {
    if (format === "csv") {
      // One record per message, ending in LF (COPY's line end; quoted line breaks are inside it).
      if (chunk[chunk.length - 1] !== 0x0a) throw new Error("COPY (FORMAT csv) sent a message that is not one record");
      rows++;
      return row(chunk, 0, chunk.length - 1);
    }
    let at = 0;
    if (first) {
      first = false;
      if (chunk.length < 19 || !chunk.subarray(0, 11).equals(BINARY_SIGNATURE)) throw new Error("COPY (FORMAT binary) sent no signature");
      at = 19 + chunk.readUInt32BE(15);
    }
    if (at === chunk.length) return undefined;
    if (ended) throw new Error("COPY (FORMAT binary) sent data after its trailer");
    const fields = chunk.readInt16BE(at);
    if (fields === -1) {
      ended = true;
      return undefined;
    }
    const length = fields === 1 ? chunk.readInt32BE(at + 2) : -1;
    if (length < 0 || at + 6 + length !== chunk.length) throw new Error("COPY (FORMAT binary) sent a message that is not one row of one value");
    rows++;
    return row(chunk, at + 6, chunk.length);
  });
  return rows;
}

export const streamContributions = (conn: SnapshotConnection, f: ExportFilters, articleIds: readonly string[]) =>
  streamTable(conn, tableDef("contributions") as TableDef<ContributionRow>, f, articleIds);

/** The contributions with their placement on the latest version (the JSON-LD annotations' current target). */
export const streamContributionsWithCurrentPlacement = (conn: SnapshotConnection, f: ExportFilters, articleIds: readonly string[]) =>
  streamTable(conn, contributionsWithCurrentPlacement, f, articleIds);

