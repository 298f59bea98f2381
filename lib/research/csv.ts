/**
 * CSV as RFC 4180 writes it (UTF-8, CRLF line ends, fields quoted when they hold a quote, comma,
 * CR or LF, quotes doubled), and, when the export asks for it (spreadsheetSafe), one reversible
 * guard against formula injection (docs/decisions/0034-csv-guard-opt-in.md):
 *
 * A TEXT value that begins with `=`, `+`, `-`, `@`, a tab, a carriage return or `'` is written with
 * one extra `'` in front, so a spreadsheet shows it as text instead of running it. To get the
 * original back, remove one leading `'` from any text value that begins with `'` (unguardCsvText).
 * Values the export generates itself (numbers, ids, timestamps, enum names) are never guarded.
 * Without the option nothing is guarded: text is exactly as written.
 * See docs/decisions/0010-csv-formula-guard.md (the rule) and 0034 (opt-in).
 */

const NEEDS_GUARD = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;

export function guardCsvText(value: string): string {
  return NEEDS_GUARD.test(value) ? `'${value}` : value;
}

/** The inverse of guardCsvText, for readers of the export (and the round-trip tests). */
export function unguardCsvText(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** A list value (e.g. a rating's tags) in CSV: its items joined by this; JSONL writes an array. */
export const LIST_SEPARATOR = ";";

export type CsvValue = string | number | boolean | null | readonly string[];

/**
 * One field. `text` marks user-facing text (guarded); null is an empty unquoted field and the
 * empty string is `""`, so the two stay distinguishable.
 */
export function csvField(value: CsvValue, text: boolean): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value !== "string") return csvField(value.join(LIST_SEPARATOR), false);
  const v = text ? guardCsvText(value) : value;
  if (v === "") return '""';
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** One record, with its CRLF. `textColumns[i]` says whether field i is guarded (text, with the guard on). */
export function csvRecord(values: readonly CsvValue[], textColumns: readonly boolean[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ",";
    line += csvField(values[i]!, textColumns[i]!);
  }
  return line + "\r\n";
}
