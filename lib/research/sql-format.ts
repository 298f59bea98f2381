import { escapeLiteral } from "pg";
import { CONTEXT_CHARS } from "@/lib/annotations/selector";
import { LIST_SEPARATOR } from "./csv";
import type { Column, ColumnType } from "./tables";

/**
 * SQL-side formatting of a streamed table's rows (docs/decisions/0048-sql-formatted-export-rows.md):
 * on a PostgreSQL server, every value of the file — the pseudonyms, the code-point offsets, the
 * booleans, the formula guard, the CSV quoting or the JSON encoding — is computed by the
 * export's COPY, whose output goes to the file byte for byte (CSV: its line end made CRLF). These
 * are the SQL twins of what the JavaScript path (tables.ts value(), csv.ts, table-writer.ts) does
 * per row; tests/integration/research-sql-format.test.ts checks that both give the same bytes.
 */

/** What a column's SQL output (Column.out) can draw on. */
export interface SqlContext {
  /** This study's pseudonym of the user id `idSql` (NULL for NULL): HMAC-SHA256 as pseudonym.ts computes it. */
  pseudonym(idSql: string): string;
  /** The author's pseudonym on a row of FROM_CONTRIBUTIONS_WITH_PSEUDONYM (computed once per author). */
  authorPseudonym: string;
  /** The code-point offset in the paragraph of the contribution's UTF-16 offset `utf16Sql` (text-positions.ts codePointOffset). */
  codePoints(paragraphIdSql: string, utf16Sql: string): string;
  /** The quote context from the paragraph's text (text-positions.ts quoteContext), when `astral(paragraphIdSql)`. */
  context(paragraphIdSql: string, startSql: string, endSql: string, side: "prefix" | "suffix"): string;
  /** Whether the paragraph has characters outside the BMP (then UTF-16 and code-point offsets differ). */
  astral(paragraphIdSql: string): string;
}

/** The CTE naming the study's HMAC pads; pseudonym() reads them (one InitPlan each, evaluated once). */
const KEYS_CTE = "research_hmac";

/**
 * HMAC-SHA256 (RFC 2104) with PostgreSQL's built-in sha256() (PostgreSQL 11+, PGlite too, no
 * extension): the inner and outer pads are made once from the key stored in the study's row,
 * so the key never appears in the statement's text (nor in a log of it).
 */
function keysCte(studyId: string): string {
  const byte = `CASE WHEN i < length(k.b) THEN get_byte(k.b, i) ELSE 0 END`;
  const pad = (x: number) => `decode(string_agg(lpad(to_hex(${byte} # ${x}), 2, '0'), '' ORDER BY i), 'hex')`;
  return `${KEYS_CTE} AS MATERIALIZED (SELECT ${pad(0x36)} AS ipad, ${pad(0x5c)} AS opad
      FROM (SELECT CASE WHEN length(s."pseudonymKey") > 64 THEN sha256(s."pseudonymKey") ELSE s."pseudonymKey" END AS b
              FROM "ResearchStudy" s WHERE s.id = ${escapeLiteral(studyId)}::uuid) k, generate_series(0, 63) i)`;
}

const pseudonymSql = (id: string) =>
  `left(encode(sha256((SELECT opad FROM ${KEYS_CTE}) || sha256((SELECT ipad FROM ${KEYS_CTE}) || convert_to((${id})::text, 'UTF8'))), 'hex'), 32)`;

/** The selected contributions and their authors, with each author's pseudonym computed in a subquery PostgreSQL memoizes per author. */
export const FROM_CONTRIBUTIONS_WITH_PSEUDONYM = `"Contribution" c JOIN LATERAL (SELECT uu.id, uu."researchOptOut", ${pseudonymSql("uu.id")} AS pseudonym
      FROM "User" uu WHERE uu.id = c."authorId" OFFSET 0) u ON true`;

const ASTRAL = `'[\\U00010000-\\U0010FFFF]'`;
/** The text with a space after every astral character: its characters then line up with UTF-16 code units. */
const units = (text: string) => `regexp_replace(${text}, '([\\U00010000-\\U0010FFFF])', '\\1 ', 'g')`;
/** Code points starting before UTF-16 offset o (a pair cut in half counts, as codePointOffset counts it). */
const cpBefore = (text: string, o: string) => `char_length(regexp_replace(left(${units(text)}, ${o}), '([\\U00010000-\\U0010FFFF]) ', '\\1', 'g'))`;
/** Whether UTF-16 offset o falls between the two halves of a surrogate pair. */
const splits = (text: string, o: string) => `(CASE WHEN ${o} > 0 AND substr(${units(text)}, ${o}, 1) ~ ${ASTRAL} THEN 1 ELSE 0 END)`;
/** The code points lying wholly inside UTF-16 [a, b): text.slice(a, b) without a broken surrogate at either end. */
const wholeSlice = (text: string, a: string, b: string) =>
  `substr(${text}, ${cpBefore(text, a)} + 1, greatest(0, ${cpBefore(text, b)} - ${splits(text, b)} - ${cpBefore(text, a)}))`;
const paragraphText = (id: string) => `(SELECT p.text FROM "Paragraph" p WHERE p.id = ${id})`;

/** The SQL context of one export: the study (its stored key) and the paragraphs with astral characters. */
export function sqlContext(astralParagraphIds: readonly string[]): SqlContext {
  const list = astralParagraphIds.length ? escapeLiteral(`{${astralParagraphIds.join(",")}}`) : null;
  return {
    pseudonym: pseudonymSql,
    authorPseudonym: "u.pseudonym",
    astral: (id) => (list ? `(${id} = ANY(${list}::uuid[]))` : "false"),
    codePoints: (id, o) => cpBefore(paragraphText(id), o),
    context: (id, s, t, side) =>
      side === "prefix" ? wholeSlice(paragraphText(id), `greatest(0, ${s} - ${CONTEXT_CHARS})`, s) : wholeSlice(paragraphText(id), t, `${t} + ${CONTEXT_CHARS}`),
  };
}

/** The statement's WITH clause (the study's HMAC pads). */
export const withKeys = (studyId: string) => `WITH ${keysCte(studyId)} `;

/** Column types whose values PostgreSQL can write exactly as the JavaScript path does (not float8: JavaScript prints numbers differently). */
const FORMATTABLE: ReadonlySet<ColumnType> = new Set(["uuid", "text", "integer", "boolean", "timestamp", "enum", "list", "url", "pseudonym"]);

/** The column's exported value in SQL (typed: text, integer, boolean, or an array for a list), or null if it has none. */
export function outSql(c: Column, x: SqlContext): string | null {
  if (!FORMATTABLE.has(c.type)) return null;
  if (c.out) return c.out(x);
  return c.value ? null : (c.sql ?? null);
}

const GUARDED_START = `('=', '+', '-', '@', E'\\t', E'\\r', '''')`;

/** One CSV field's SQL for COPY (FORMAT csv): COPY quotes exactly as csv.ts does (", comma, CR, LF; "" for the empty string; NULL empty). */
export function csvFieldSql(c: Column, value: string, formulaGuard: boolean): string {
  switch (c.type) {
    case "boolean":
      return `CASE WHEN ${value} THEN 'true' WHEN NOT ${value} THEN 'false' END`;
    case "list":
      return `array_to_string(${value}, ${escapeLiteral(LIST_SEPARATOR)})`;
    case "text":
      return formulaGuard ? `CASE WHEN left(${value}, 1) IN ${GUARDED_START} THEN '''' || (${value}) ELSE ${value} END` : value;
    default:
      return value;
  }
}

/** One JSON value's SQL text, as table-writer.ts jsonValue (JSON.stringify) writes it. */
function jsonValueSql(c: Column, value: string): string {
  switch (c.type) {
    case "integer":
      return `coalesce((${value})::text, 'null')`;
    case "boolean":
      return `CASE WHEN ${value} THEN 'true' WHEN NOT ${value} THEN 'false' ELSE 'null' END`;
    case "list":
      return `coalesce(array_to_json(${value})::text, 'null')`;
    case "uuid":
    case "enum":
    case "timestamp":
    case "pseudonym":
      // Nothing in these to escape (hex, digits, dashes, ISO dates, upper-case names): quoted as they are.
      return `coalesce('"' || (${value})::text || '"', 'null')`;
    default:
      return `coalesce(to_json((${value})::text)::text, 'null')`;
  }
}

/** The whole JSONL line (without its newline) as one SQL text: `{"name":value,…}`. */
export function jsonLineSql(columns: readonly { column: Column; value: string }[]): string {
  const parts = columns.flatMap(({ column, value }, i) => [escapeLiteral(`${i === 0 ? "{" : ","}${JSON.stringify(column.name)}:`), jsonValueSql(column, value)]);
  return `concat(${[...parts, "'}'"].join(", ")})`;
}
