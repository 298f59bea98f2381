/**
 * CSV as RFC 4180 writes it (UTF-8, CRLF line ends, fields quoted when they hold a quote, comma,
 * CR or LF, quotes doubled), plus one reversible guard against formula injection:
 *
 * A TEXT value that begins with `=`, `+`, `-`, `@`, a tab, a carriage return or `'` is written with
 * one extra `'` in front, so a spreadsheet shows it as text instead of running it. To get the
 * original back, remove one leading `'` from any text value that begins with `'` (unguardCsvText).
 * Values the export generates itself (numbers, ids, timestamps, enum names) are never guarded.
 * See docs/decisions/0010-csv-formula-guard.md.
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

export type CsvValue = string | number | boolean | null;

/**
 * One field. `text` marks user-facing text (guarded); null is an empty unquoted field and the
 * empty string is `""`, so the two stay distinguishable.
 */
export function csvField(value: CsvValue, text: boolean): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  const v = text ? guardCsvText(value) : value;
  if (v === "") return '""';
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** One record, with its CRLF. `textColumns[i]` says whether field i is guarded text. */
export function csvRecord(values: readonly CsvValue[], textColumns: readonly boolean[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ",";
    line += csvField(values[i]!, textColumns[i]!);
  }
  return line + "\r\n";
}
