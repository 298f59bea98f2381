/**
 * CSV (and JSONL) as the research export writes them, read back with a real, strict CSV parser.
 *
 * The corpus (tests/unit/fixtures/research-corpus.ts) is written through the real table writer
 * into a temporary directory and parsed with csv-parse (strict quotes, strict column count, CRLF
 * as the only record delimiter). Every text value must come back byte for byte after
 * unguardCsvText; every other column must come back exactly as written, never guarded. NUL is
 * not in the corpus: PostgreSQL text cannot store it, so no exported value can hold it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { csvField, csvRecord, guardCsvText, LIST_SEPARATOR, unguardCsvText, type CsvValue } from "@/lib/research/csv";
import { tableWriter } from "@/lib/research/table-writer";
import { TABLES, tableDef, textColumnMask, type Column, type TableDef } from "@/lib/research/tables";
import { NASTY, sameBytes, tempDir } from "./fixtures/research-corpus";

/** The first characters a spreadsheet may treat as the start of a formula (plus `'`, for reversibility). */
const GUARDED_FIRST = ["=", "+", "-", "@", "\t", "\r", "'"];
const isGuarded = (v: string) => GUARDED_FIRST.some((c) => v.startsWith(c));

/** Strict RFC 4180 parse; an unquoted empty field is null, a quoted one "". */
function parseCsv(input: string | Buffer): (string | null)[][] {
  return parse(input, {
    relax_quotes: false,
    relax_column_count: false,
    record_delimiter: "\r\n",
    skip_empty_lines: false,
    bom: false,
    cast: (value, ctx) => (ctx.quoting ? value : value === "" ? null : value),
  }) as unknown as (string | null)[][];
}

/** Walks the file outside quoted fields: every line break there must be CRLF. */
function recordBreaks(text: string): { crlf: number; bare: number[]; unterminatedQuote: boolean } {
  let inQuotes = false;
  let crlf = 0;
  const bare: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === "\r") {
      if (text[i + 1] === "\n") {
        crlf++;
        i++;
      } else bare.push(i);
    } else if (!inQuotes && c === "\n") bare.push(i);
  }
  return { crlf, bare, unterminatedQuote: inQuotes };
}

/** What the CSV must hold for a non-text value: exactly its text form (a list's items joined by `;`), never guarded. */
const plain = (v: CsvValue): string | null => (v === null ? null : typeof v === "object" ? v.join(LIST_SEPARATOR) : String(v));

/** A value of the column's type (non-text), chosen to look dangerous where the type allows. */
function sampleValue(c: Column, i: number): CsvValue {
  switch (c.type) {
    case "uuid":
      return `0b9f6c1e-4d7a-4c1b-9e0a-${String(i).padStart(12, "0")}`;
    case "integer":
      return [-2, 0, Number.MAX_SAFE_INTEGER, -1, 42][i % 5]!;
    case "number":
      return [-2.5, 0, 1e-7, 0.1, -0][i % 4]!;
    case "list":
      return [[], [c.allowed![0]!], [...c.allowed!]][i % 3]!;
    case "boolean":
      return i % 2 === 0;
    case "timestamp":
      return "2026-11-27T09:30:00.000Z";
    case "enum":
      return c.allowed![i % c.allowed!.length]!;
    case "url":
      return `https://example.org/a?list=1,2&q="x"#-${i}`;
    case "pseudonym":
      return "0123456789abcdef0123456789abcdef";
    case "text":
      return NASTY[i % NASTY.length]![1];
  }
}

describe("csvField / csvRecord", () => {
  it("writes null as an empty unquoted field and the empty string as a quoted empty field", () => {
    expect(csvField(null, true)).toBe("");
    expect(csvField(null, false)).toBe("");
    expect(csvField("", true)).toBe('""');
    expect(csvField("", false)).toBe('""');
    expect(csvRecord([null, "", "x", null], [true, true, true, false])).toBe(',"",x,\r\n');
    expect(parseCsv(csvRecord([null, "", "x", null], [true, true, true, false]))).toEqual([[null, "", "x", null]]);
  });

  it("quotes only when needed and doubles quotes", () => {
    expect(csvField("plain", true)).toBe("plain");
    expect(csvField("  spaced  ", true)).toBe("  spaced  ");
    expect(csvField('a "b"', true)).toBe('"a ""b"""');
    expect(csvField("a,b", false)).toBe('"a,b"');
    expect(csvField("a\nb", true)).toBe('"a\nb"');
    expect(csvField("a\rb", true)).toBe('"a\rb"');
  });

  it("guards text that a spreadsheet would run, and only text", () => {
    expect(csvField("=cmd|' /C calc'!A0", true)).toBe("'=cmd|' /C calc'!A0");
    expect(csvField("+1", true)).toBe("'+1");
    expect(csvField("-2", true)).toBe("'-2");
    expect(csvField("@SUM(1)", true)).toBe("'@SUM(1)");
    expect(csvField("\t=1", true)).toBe("'\t=1");
    expect(csvField("\r=1", true)).toBe("\"'\r=1\"");
    expect(csvField("'x", true)).toBe("''x");
    // Not text: never changed.
    expect(csvField("=1+1", false)).toBe("=1+1");
    expect(csvField("-2", false)).toBe("-2");
    expect(csvField(-2, true)).toBe("-2");
    expect(csvField(-2, false)).toBe("-2");
    expect(csvField(true, true)).toBe("true");
    expect(csvField(false, false)).toBe("false");
  });

  it("guardCsvText and unguardCsvText are inverse on every corpus value", () => {
    for (const [label, v] of NASTY) {
      expect(unguardCsvText(guardCsvText(v)), label).toBe(v);
      expect(guardCsvText(v), label).toBe(isGuarded(v) ? `'${v}` : v);
    }
  });

  it("round-trips every corpus value through csv-parse, in text and non-text columns", () => {
    const mask = [true, false, true, false, false];
    for (const [label, v] of NASTY) {
      const line = csvRecord([v, v, null, -2, ""], mask);
      expect(line.endsWith("\r\n"), label).toBe(true);
      const rows = parseCsv(line);
      expect(rows, label).toHaveLength(1);
      const [text, raw, nul, negative, empty] = rows[0]!;
      expect(sameBytes(unguardCsvText(text!), v), label).toBe(true);
      expect(unguardCsvText(text!), label).toBe(v);
      expect(raw, label).toBe(v);
      expect(nul, label).toBeNull();
      expect(negative, label).toBe("-2");
      expect(empty, label).toBe("");
    }
  });
});

describe("table writer, CSV", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir("research-csv")));
  afterEach(async () => cleanup());

  /** One row per corpus value: every text column holds it; the other columns hold typed values. */
  function corpusRows(def: TableDef): CsvValue[][] {
    return NASTY.map(([, v], i) => def.columns.map((c) => (c.type === "text" ? v : sampleValue(c, i))));
  }

  /** Writes the rows with the formula guard on (spreadsheetSafe), unless `guard` is false. */
  async function writeCsv(def: TableDef, rows: CsvValue[][], guard = true): Promise<{ text: string; bytes: Buffer; file: string }> {
    const w = tableWriter("csv", def, dir, guard ? { formulaGuard: true } : {});
    for (const r of rows) await w.write(r);
    const done = await w.close();
    expect(w.rows).toBe(rows.length);
    const bytes = await readFile(path.join(dir, w.file));
    expect(done.bytes).toBe(bytes.length);
    return { text: bytes.toString("utf8"), bytes, file: w.file };
  }

  it("writes the contributions corpus so that a strict parser gives back every value byte for byte", async () => {
    const def = tableDef("contributions");
    const mask = textColumnMask(def);
    // Nullable text columns get null on every third row, so null and "" both occur in text columns.
    const rows = corpusRows(def).map((r, i) => r.map((v, j) => (i % 3 === 2 && def.columns[j]!.nullable ? null : v)));
    const { text, bytes, file } = await writeCsv(def, rows);
    expect(file).toBe("contributions.csv");

    // UTF-8 without a byte-order mark; decoding and re-encoding changes nothing.
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(Buffer.from(text, "utf8").equals(bytes)).toBe(true);

    const parsed = parseCsv(bytes);
    expect(parsed).toHaveLength(rows.length + 1);
    expect(parsed[0]).toEqual(def.columns.map((c) => c.name));
    for (let i = 0; i < rows.length; i++) {
      const label = NASTY[i]![0];
      const got = parsed[i + 1]!;
      expect(got, label).toHaveLength(def.columns.length);
      for (let j = 0; j < def.columns.length; j++) {
        const want = rows[i]![j]!;
        const cell = got[j]!;
        const where = `${label}: ${def.columns[j]!.name}`;
        if (want === null) {
          expect(cell, where).toBeNull();
        } else if (mask[j]) {
          expect(typeof cell, where).toBe("string");
          expect(unguardCsvText(cell!), where).toBe(want);
          expect(sameBytes(unguardCsvText(cell!), want as string), where).toBe(true);
        } else {
          expect(cell, where).toBe(plain(want));
        }
      }
    }
  });

  it("shows a spreadsheet a leading ' instead of a formula, and leaves harmless text alone", async () => {
    const def = tableDef("contributions");
    const body = def.columns.findIndex((c) => c.name === "body");
    const { bytes } = await writeCsv(def, corpusRows(def));
    const parsed = parseCsv(bytes).slice(1);
    NASTY.forEach(([label, v], i) => {
      const cell = parsed[i]![body]!;
      if (isGuarded(v)) {
        expect(cell.startsWith("'"), label).toBe(true);
        expect(cell.slice(1), label).toBe(v);
      } else {
        expect(cell, label).toBe(v);
      }
    });
    const calc = parsed[NASTY.findIndex(([l]) => l === "formula: calc")]![body]!;
    expect(calc).toBe("'=cmd|' /C calc'!A0");
    expect(calc.startsWith("=")).toBe(false);
    for (const c of parsed.map((r) => r[body]!)) expect(/^[=+\-@\t\r]/.test(c)).toBe(false);
  });

  it("guards nothing by default: every text value comes back exactly as written, without unguarding", async () => {
    const def = tableDef("contributions");
    const rows = corpusRows(def);
    const { bytes } = await writeCsv(def, rows, false);
    const parsed = parseCsv(bytes).slice(1);
    rows.forEach((r, i) => r.forEach((v, j) => expect(parsed[i]![j], `${NASTY[i]![0]}: ${def.columns[j]!.name}`).toBe(plain(v))));
    const body = def.columns.findIndex((c) => c.name === "body");
    expect(parsed[NASTY.findIndex(([l]) => l === "formula: calc")]![body]).toBe("=cmd|' /C calc'!A0");
  });

  it("writes a list as its items joined by ; (none: a quoted empty field), never guarded", () => {
    expect(csvField(["CLEAR", "MISLEADING"], true)).toBe("CLEAR;MISLEADING");
    expect(csvField([], false)).toBe('""');
    expect(parseCsv(csvRecord([["A", "B"], [], null], [true, true, true]))).toEqual([["A;B", "", null]]);
  });

  it("never guards non-text columns: a negative integer stays -2", async () => {
    const def = tableDef("contributions");
    const start = def.columns.findIndex((c) => c.name === "start");
    expect(def.columns[start]!.type).toBe("integer");
    const row = def.columns.map((c, i) => (c.type === "text" ? "-2" : sampleValue(c, i)));
    row[start] = -2;
    const { text } = await writeCsv(def, [row]);
    const cells = parseCsv(text)[1]!;
    expect(cells[start]).toBe("-2");
    def.columns.forEach((c, j) => {
      if (c.type === "text") expect(cells[j], c.name).toBe("'-2");
      else expect(cells[j], c.name).toBe(plain(row[j]!));
    });
  });

  it("separates records with CRLF and nothing else (line breaks inside values stay quoted)", async () => {
    const def = tableDef("contributions");
    const rows = corpusRows(def);
    const { text } = await writeCsv(def, rows);
    const breaks = recordBreaks(text);
    expect(breaks.unterminatedQuote).toBe(false);
    expect(breaks.bare).toEqual([]);
    expect(breaks.crlf).toBe(rows.length + 1);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it.each(TABLES.map((t) => [t.name, t] as const))("%s: header row is the column names; only text columns are guarded", async (_name, def) => {
    expect(textColumnMask(def)).toEqual(def.columns.map((c) => c.type === "text"));
    const rows = [def.columns.map((c, i) => sampleValue(c, i)), def.columns.map((c) => (c.type === "text" ? "=1+1" : sampleValue(c, 0)))];
    const { text } = await writeCsv(def, rows);
    expect(text.slice(0, text.indexOf("\r\n"))).toBe(def.columns.map((c) => c.name).join(","));
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual(def.columns.map((c) => c.name));
    rows.forEach((r, i) =>
      r.forEach((v, j) => {
        const cell = parsed[i + 1]![j];
        if (def.columns[j]!.type === "text") expect(unguardCsvText(cell!), def.columns[j]!.name).toBe(v);
        else expect(cell, def.columns[j]!.name).toBe(plain(v));
      }),
    );
  });

  it.each(TABLES.map((t) => [t.name, t] as const))("%s: an empty table is its header row alone", async (_name, def) => {
    const { text } = await writeCsv(def, []);
    expect(text).toBe(`${def.columns.map((c) => c.name).join(",")}\r\n`);
  });
});

describe("table writer, JSONL", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir("research-jsonl")));
  afterEach(async () => cleanup());

  it("writes one object per line, keys in column order, values unguarded and exact", async () => {
    const def = tableDef("contributions");
    const rows = NASTY.map(([, v], i) => def.columns.map((c) => (c.type === "text" ? v : i % 3 === 2 && c.nullable ? null : sampleValue(c, i))));
    const w = tableWriter("jsonl", def, dir);
    for (const r of rows) await w.write(r);
    await w.close();
    expect(w.file).toBe("contributions.jsonl");
    const text = await readFile(path.join(dir, w.file), "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).not.toContain("\r");
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(rows.length);
    lines.forEach((line, i) => {
      const obj = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(obj), NASTY[i]![0]).toEqual(def.columns.map((c) => c.name));
      expect(Object.values(obj), NASTY[i]![0]).toEqual(rows[i]);
    });
  });

  it("writes an empty file for an empty table", async () => {
    const w = tableWriter("jsonl", tableDef("flags"), dir);
    await w.close();
    expect(await readFile(path.join(dir, w.file), "utf8")).toBe("");
  });
});
