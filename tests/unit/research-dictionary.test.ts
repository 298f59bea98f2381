/**
 * data-dictionary.md, for every format: every column of every table, with its type, whether it
 * can be empty, its meaning and its allowed values; the CSV formula guard explained for CSV.
 * And the recipient README: counts, filters, fingerprint (never a key), how to verify.
 */
import { describe, expect, it } from "vitest";
import { dataDictionary, recipientReadme } from "@/lib/research/documents";
import { ANNO_CONTEXT_IRI, PAGE_SIZE } from "@/lib/research/jsonld";
import { FORMATS, exportFiltersSchema } from "@/lib/research/schemas";
import { SCHEMA_VERSION, TABLES, type ColumnType } from "@/lib/research/tables";

/** A word the type cell must contain, per column type. */
const TYPE_WORD: Record<ColumnType, RegExp> = {
  uuid: /UUID/,
  text: /text/,
  integer: /integer/,
  number: /number/,
  list: /list/,
  boolean: /boolean/,
  timestamp: /timestamp/,
  enum: /one of/,
  url: /URL|IRI/,
  pseudonym: /pseudonym/,
};

/** Splits a markdown table row on unescaped pipes. */
function cells(row: string): string[] {
  const parts = row.split(/(?<!\\)\|/).map((c) => c.trim());
  return parts.slice(1, -1);
}

/** The markdown table rows of the section `## <table>`. */
function section(md: string, table: string): { heading: string; body: string[] } {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l === `## ${table}` || l.startsWith(`## ${table} (`));
  expect(start, `no section for ${table}`).toBeGreaterThanOrEqual(0);
  let end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  if (end < 0) end = lines.length;
  return { heading: lines[start]!, body: lines.slice(start + 1, end) };
}

describe.each(FORMATS.map((f) => [f] as const))("data-dictionary.md (%s)", (format) => {
  const md = dataDictionary(format, { formulaGuard: false });
  const guarded = dataDictionary(format, { formulaGuard: format === "csv" });

  it("names the schema version", () => {
    expect(md).toContain(`schema ${SCHEMA_VERSION}`);
  });

  it.each(TABLES.map((t) => [t.name, t] as const))("lists every column of %s with type, emptiness, meaning and allowed values", (_n, table) => {
    const { heading, body } = section(md, table.name);
    if (table.moderationOnly) expect(heading).toMatch(/moderation/);
    expect(body.join("\n")).toContain(table.meaning);
    const rows = body.filter((l) => l.startsWith("| `"));
    expect(rows.map((r) => cells(r)[0])).toEqual(table.columns.map((c) => `\`${c.name}\``));
    for (const c of table.columns) {
      const row = rows.find((r) => cells(r)[0] === `\`${c.name}\``)!;
      const [, type, empty, meaning, allowed] = cells(row);
      expect(type, c.name).toMatch(TYPE_WORD[c.type]);
      expect(type, c.name).not.toMatch(/undefined/);
      expect(empty, c.name).toBe(c.nullable ? "may be empty" : "never");
      expect(meaning!.replaceAll("\\|", "|"), c.name).toBe(c.meaning.replaceAll("\n", " "));
      if (c.type === "enum") {
        expect(c.allowed?.length, `${table.name}.${c.name} is an enum without allowed values`).toBeGreaterThan(0);
      }
      expect(allowed, c.name).toBe((c.allowed ?? []).map((a) => `\`${a}\``).join(", "));
    }
  });

  it("says how positions are counted", () => {
    expect(md).toMatch(/code points/);
    expect(md).toMatch(/UTF-16/);
  });

  if (format === "csv") {
    it("explains CSV quoting, CRLF, null vs empty, lists, and that no formula guard was applied", () => {
      expect(md).toMatch(/RFC 4180/);
      expect(md).toMatch(/CRLF/);
      expect(md).toMatch(/without a byte-order mark/);
      expect(md).toMatch(/empty field is a missing value \(null\)/);
      expect(md).toContain('`""`');
      expect(md).toMatch(/joined by `;`/);
      expect(md).toMatch(/Formula guard: not applied/);
      expect(md).toMatch(/exactly as written/);
      expect(md).not.toMatch(/remove one leading `'`/);
    });

    it("with spreadsheetSafe: says the guard was applied and how to undo it", () => {
      expect(guarded).toMatch(/Formula guard: applied/);
      for (const c of ["`=`", "`+`", "`-`", "`@`", "a tab", "a carriage return", "`'`"]) expect(guarded).toContain(c);
      expect(guarded).toMatch(/remove one leading `'`/);
      expect(guarded).toMatch(/Columns of other types are never changed/);
    });
  } else {
    it("describes JSON Lines and does not claim a CSV guard", () => {
      expect(md).toMatch(/JSON Lines/);
      expect(md).not.toMatch(/Formula guard/);
    });
  }

  if (format === "jsonld") {
    it("describes the Web Annotation mapping, the pages and the bundled context", () => {
      expect(md).toContain("annotations/collection.jsonld");
      expect(md).toContain("annotations/page-00001.jsonld");
      expect(md).toContain(String(PAGE_SIZE));
      expect(md).toContain(ANNO_CONTEXT_IRI);
      for (const m of ["commenting", "assessing", "linking", "describing", "replying"]) expect(md).toContain(`\`${m}\``);
      for (const t of ["contributionKind", "moderationStatus", "publiclyVisible", "stance"]) expect(md).toContain(`\`${t}\``);
    });
  }
});

describe("recipient README", () => {
  const filters = exportFiltersSchema.parse({ articles: ["some-article"], from: "2026-01-01", kinds: ["ANNOTATION", "SOURCE"], includeModeration: true });
  const input = {
    exportId: "11111111-2222-4333-8444-555555555555",
    generatedAt: "2026-11-27T09:30:00.000Z",
    software: { name: "annotated-discussion", version: "0.1.0" },
    schemaVersion: SCHEMA_VERSION,
    format: "csv" as const,
    study: { id: "aaaaaaaa-2222-4333-8444-555555555555", name: "Counterpoints study" },
    filters,
    csvFormulaGuard: false,
    counts: { contributions: 1234, optedOutExcluded: 7, contributionRevisions: 1300, ratings: 560, ratingsOptedOutExcluded: 3, contributionScores: 900, scoringRuns: 4 },
    pseudonymisation: { keyFingerprint: `sha256:${"ab".repeat(32)}` },
    files: [],
  };
  const md = recipientReadme(input);

  it("states counts, opt-outs, filters and how to verify and cite", () => {
    expect(md).toContain(input.exportId);
    expect(md).toContain("Counterpoints study");
    expect(md).toContain("1234 contributions");
    expect(md).toMatch(/7 contributions were left out .*opted out/);
    expect(md).toContain("some-article");
    expect(md).toContain("2026-01-01");
    expect(md).toContain("ANNOTATION, SOURCE");
    expect(md).toContain("moderation events included");
    expect(md).toContain("1300 revisions");
    expect(md).toContain("560 ratings");
    expect(md).toMatch(/3 ratings were left out .*opted out/);
    expect(md).toContain("900 scores from 4 scoring runs");
    expect(md).toMatch(/exactly as written \(no formula guard\)/);
    expect(md).toContain("spreadsheet-safe no");
    expect(md).toContain("sha256sum -c SHA256SUMS");
    expect(md).toMatch(/## Cite it/);
    expect(md).toContain("2026-11-27");
  });

  it("points to the key fingerprint in the manifest and says no names, emails or IPs are included", () => {
    expect(md).toMatch(/keyFingerprint/);
    expect(md).toMatch(/No names, email addresses, IP addresses or password data/);
  });
});
