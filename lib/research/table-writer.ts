import { csvRecord, type CsvValue } from "./csv";
import { FileSink, WRITTEN } from "./sink";
import { textColumnMask, type TableDef } from "./tables";

/**
 * Writes one table as CSV (RFC 4180, header row) or JSONL (one object per line), same columns.
 * `formulaGuard` (CSV only; the export's spreadsheetSafe option) guards text columns (csv.ts).
 */
export interface TableWriter {
  readonly table: TableDef;
  readonly file: string;
  rows: number;
  write(values: readonly CsvValue[]): Promise<void>;
  /**
   * One row PostgreSQL already formatted (sql-format.ts): src[start, end) is the CSV record or the
   * JSON object, without its line end, which this adds (CRLF, LF). Copied at once.
   */
  writeFormatted(src: Buffer, start: number, end: number): Promise<void> | undefined;
  close(): Promise<{ sha256: string; bytes: number }>;
  destroy(): void;
}

export function tableWriter(format: "csv" | "jsonl", table: TableDef, dir: string, opts: { formulaGuard?: boolean } = {}): TableWriter {
  const file = `${table.name}.${format}`;
  const sink = new FileSink(`${dir}/${file}`);
  const mask = opts.formulaGuard ? textColumnMask(table) : table.columns.map(() => false);
  // JSONL keys, pre-encoded once: `{"a":` then `,"b":` …
  const keys = table.columns.map((c, i) => `${i === 0 ? "{" : ","}${JSON.stringify(c.name)}:`);
  let headerWritten = format === "jsonl";
  const eol = format === "csv" ? "\r\n" : "\n";
  const w: TableWriter = {
    table,
    file,
    rows: 0,
    async write(values) {
      if (!headerWritten) {
        headerWritten = true;
        await sink.write(csvRecord(table.columns.map((c) => c.name), mask.map(() => false)));
      }
      if (format === "csv") {
        await sink.write(csvRecord(values, mask));
      } else {
        let line = "";
        for (let i = 0; i < values.length; i++) line += keys[i] + jsonValue(values[i]!);
        await sink.write(line + "}\n");
      }
      w.rows++;
    },
    writeFormatted(src, start, end) {
      let wait: Promise<void>[] | null = null;
      const add = (p: Promise<void>) => {
        if (p !== WRITTEN) (wait ??= []).push(p);
      };
      if (!headerWritten) {
        headerWritten = true;
        add(sink.write(csvRecord(table.columns.map((c) => c.name), mask.map(() => false))));
      }
      add(sink.writeBytes(src, start, end));
      add(sink.write(eol));
      w.rows++;
      return wait ? Promise.all(wait as Promise<void>[]).then(() => undefined) : undefined;
    },
    async close() {
      if (!headerWritten) {
        headerWritten = true;
        await sink.write(csvRecord(table.columns.map((c) => c.name), mask.map(() => false)));
      }
      return sink.close();
    },
    destroy: () => sink.destroy(),
  };
  return w;
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls, and (lone) surrogates. */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(value), byte for byte, without its cost for the common cases: a string with
 * nothing to escape is just quoted; numbers and booleans print as themselves.
 */
function jsonValue(value: CsvValue): string {
  if (typeof value === "string") return JSON_ESCAPED.test(value) ? JSON.stringify(value) : '"' + value + '"';
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (value === null) return "null";
  if (typeof value !== "boolean") return JSON.stringify(value);
  return value ? "true" : "false";
}
