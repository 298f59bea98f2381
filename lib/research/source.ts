import { escapeLiteral } from "pg";
import type { SnapshotConnection } from "@/lib/db/client";
import type { SqlConnection } from "@/lib/db/sql";
import type { ExportFilters } from "./schemas";
import { KINDS } from "./tables";
import { codePointLength, PARAGRAPH_SEPARATOR } from "./text-positions";

/**
 * The SQL side of a research export: which contributions a set of filters selects, and the
 * rows of every table, streamed in batches ordered by (createdAt, id) — through COPY inside the
 * export's snapshot transaction on a PostgreSQL server, keyset-paged on the embedded database —
 * so memory stays bounded however many rows there are. Timestamps are formatted by PostgreSQL as
 * ISO 8601 UTC strings (no Date objects per row).
 */

export const BATCH_SIZE = 5000;

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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
  quote_exact: string;
  quote_prefix: string;
  quote_suffix: string;
  start_utf16: number;
  end_utf16: number;
  whole_paragraph: boolean;
  parent_id: string | null;
  created_at: string;
  edited_at: string | null;
}

export interface EventRow {
  id: string;
  contribution_id: string;
  action: string;
  actor_id: string | null;
  actor_opted_out: boolean | null;
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

const FROM_CONTRIBUTIONS = `"Contribution" c JOIN "User" u ON u.id = c."authorId"`;

export interface Counts {
  contributions: number;
  optedOutExcluded: number;
  moderationEvents: number;
  flags: number;
}

export async function countRows(
  conn: SqlConnection,
  f: ExportFilters,
  articleIds: readonly string[],
): Promise<Counts> {
  const inc = contributionFilter(f, articleIds, false);
  const out = contributionFilter(f, articleIds, true);
  const [a] = await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FROM_CONTRIBUTIONS} WHERE ${inc.where}`, inc.params);
  const [b] = await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FROM_CONTRIBUTIONS} WHERE ${out.where}`, out.params);
  let events = 0;
  let flags = 0;
  if (f.includeModeration) {
    const [e] = await conn.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "ModerationLog" l JOIN ${FROM_CONTRIBUTIONS} ON c.id = l."contributionId" WHERE ${inc.where}`,
      inc.params,
    );
    const [g] = await conn.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Flag" fl JOIN ${FROM_CONTRIBUTIONS} ON c.id = fl."contributionId" WHERE ${inc.where}`,
      inc.params,
    );
    events = e!.n;
    flags = g!.n;
  }
  return { contributions: a!.n, optedOutExcluded: b!.n, moderationEvents: events, flags };
}

/**
 * The rows of `build`'s query in batches, in its (createdAt, id) order.
 *
 * On a PostgreSQL server (withReadSnapshot's connection, inside the export's snapshot): one
 * `COPY (<the query>) TO STDOUT`, whose rows arrive as lines of text that `parse` turns into the
 * same row objects the query would give — the same strings, numbers and booleans, so every
 * format's bytes are unchanged. Receiving a million rows this way took this process 3.7 s of CPU
 * instead of 9.9 s as query results (node-postgres decodes every field on its own, and the many
 * small strings kept the garbage collector busy), and the query is planned once. (Keyset paging on
 * a server was planned anew for every batch and, with a filter the planner misjudges, switched to
 * sorting the whole remainder for each batch near the end: quadratic over a million rows.)
 * See docs/perf.md, "Research export at scale".
 *
 * Otherwise (the embedded database): keyset pages of BATCH_SIZE over (createdAt, id) of `alias`.
 */
async function* batches<R extends { created_at: string; id: string }>(
  conn: SnapshotConnection,
  build: (keyCondition: string, params: unknown[]) => { sql: string; params: unknown[] },
  alias: string,
  parse: (fields: string[]) => R,
  columns: number,
): AsyncGenerator<R[]> {
  if (conn.copyRows) {
    const { sql, params } = build("TRUE", []);
    for await (const lines of conn.copyRows(inlineParams(sql, params))) {
      const rows = new Array<R>(lines.length);
      for (let i = 0; i < lines.length; i++) {
        const fields = lines[i]!.split("\t");
        if (fields.length !== columns) throw new Error(`COPY gave ${fields.length} fields, expected ${columns}`);
        rows[i] = parse(fields);
      }
      yield rows;
    }
    return;
  }
  let after: { created_at: string; id: string } | null = null;
  for (;;) {
    const { sql, params } = build(
      after ? `(${alias}."createdAt", ${alias}.id) > ($KEY1::timestamptz, $KEY2::uuid)` : "TRUE",
      after ? [after.created_at, after.id] : [],
    );
    const rows = await conn.query<R>(`${sql} LIMIT ${BATCH_SIZE}`, params);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH_SIZE) return;
    const last = rows[rows.length - 1]!;
    after = { created_at: last.created_at, id: last.id };
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

// Fields of COPY's text format: \N is NULL; backslash escapes for control characters and itself.
const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const unescape = (s: string): string => (s.indexOf("\\") === -1 ? s : s.replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c));
/** A NOT NULL text column. */
const text = (s: string): string => unescape(s);
/** A nullable text column. */
const textOrNull = (s: string): string | null => (s === "\\N" ? null : unescape(s));
/** int4 (as node-postgres parses it) and boolean columns. */
const int = (s: string): number => parseInt(s, 10);
const bool = (s: string): boolean => s === "t";

/** Replaces $KEY1/$KEY2 with the next parameter numbers. */
function withKeys(sql: string, params: unknown[], keys: unknown[]): { sql: string; params: unknown[] } {
  if (keys.length === 0) return { sql, params };
  const n = params.length;
  return { sql: sql.replace("$KEY1", `$${n + 1}`).replace("$KEY2", `$${n + 2}`), params: [...params, ...keys] };
}

export function streamContributions(conn: SnapshotConnection, f: ExportFilters, articleIds: readonly string[]) {
  const { where, params } = contributionFilter(f, articleIds, false);
  return batches<ContributionRow>(
    conn,
    (key, keys) =>
      withKeys(
        `SELECT c.id, c."articleId" AS article_id, c."articleVersionId" AS version_id, c."paragraphId" AS paragraph_id,
                c."anchorId" AS anchor_id, c.kind::text AS kind, c.status::text AS status, c."authorId" AS author_id,
                c.body, c."sourceUrl" AS source_url, c."sourceTitle" AS source_title, c.stance::text AS stance,
                c."quoteExact" AS quote_exact, c."quotePrefix" AS quote_prefix, c."quoteSuffix" AS quote_suffix,
                c."startOffset" AS start_utf16, c."endOffset" AS end_utf16, c."wholeParagraph" AS whole_paragraph,
                c."parentId" AS parent_id, ${ISO(`c."createdAt"`)} AS created_at, ${ISO(`c."editedAt"`)} AS edited_at
           FROM ${FROM_CONTRIBUTIONS}
          WHERE ${where} AND ${key}
          ORDER BY c."createdAt", c.id`,
        params,
        keys,
      ),
    "c",
    (r) => ({
      id: r[0]!,
      article_id: r[1]!,
      version_id: r[2]!,
      paragraph_id: r[3]!,
      anchor_id: text(r[4]!),
      kind: r[5]!,
      status: r[6]!,
      author_id: r[7]!,
      body: text(r[8]!),
      source_url: textOrNull(r[9]!),
      source_title: textOrNull(r[10]!),
      stance: textOrNull(r[11]!),
      quote_exact: text(r[12]!),
      quote_prefix: text(r[13]!),
      quote_suffix: text(r[14]!),
      start_utf16: int(r[15]!),
      end_utf16: int(r[16]!),
      whole_paragraph: bool(r[17]!),
      parent_id: textOrNull(r[18]!),
      created_at: r[19]!,
      edited_at: textOrNull(r[20]!),
    }),
    21,
  );
}

export function streamModerationEvents(conn: SnapshotConnection, f: ExportFilters, articleIds: readonly string[]) {
  const { where, params } = contributionFilter(f, articleIds, false);
  return batches<EventRow>(
    conn,
    (key, keys) =>
      withKeys(
        `SELECT l.id, l."contributionId" AS contribution_id, l.action::text AS action, l."actorId" AS actor_id,
                au."researchOptOut" AS actor_opted_out, l."fromStatus"::text AS from_status, l."toStatus"::text AS to_status,
                l.reason, ${ISO(`l."createdAt"`)} AS created_at
           FROM "ModerationLog" l
           JOIN ${FROM_CONTRIBUTIONS} ON c.id = l."contributionId"
           LEFT JOIN "User" au ON au.id = l."actorId"
          WHERE ${where} AND ${key}
          ORDER BY l."createdAt", l.id`,
        params,
        keys,
      ),
    "l",
    (r) => ({
      id: r[0]!,
      contribution_id: r[1]!,
      action: r[2]!,
      actor_id: textOrNull(r[3]!),
      actor_opted_out: r[4] === "\\N" ? null : bool(r[4]!),
      from_status: textOrNull(r[5]!),
      to_status: textOrNull(r[6]!),
      reason: textOrNull(r[7]!),
      created_at: r[8]!,
    }),
    9,
  );
}

export function streamFlags(conn: SnapshotConnection, f: ExportFilters, articleIds: readonly string[]) {
  const { where, params } = contributionFilter(f, articleIds, false);
  return batches<FlagRow>(
    conn,
    (key, keys) =>
      withKeys(
        `SELECT fl.id, fl."contributionId" AS contribution_id, fl."reporterId" AS reporter_id,
                ru."researchOptOut" AS reporter_opted_out, fl.reason::text AS reason, fl.status::text AS status,
                ${ISO(`fl."createdAt"`)} AS created_at, ${ISO(`fl."resolvedAt"`)} AS resolved_at
           FROM "Flag" fl
           JOIN ${FROM_CONTRIBUTIONS} ON c.id = fl."contributionId"
           JOIN "User" ru ON ru.id = fl."reporterId"
          WHERE ${where} AND ${key}
          ORDER BY fl."createdAt", fl.id`,
        params,
        keys,
      ),
    "fl",
    (r) => ({
      id: r[0]!,
      contribution_id: r[1]!,
      reporter_id: r[2]!,
      reporter_opted_out: bool(r[3]!),
      reason: r[4]!,
      status: r[5]!,
      created_at: r[6]!,
      resolved_at: textOrNull(r[7]!),
    }),
    8,
  );
}
