import { readFileSync } from "node:fs";
import path from "node:path";
import jsonld from "jsonld";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import type { ContributionDto } from "@/lib/annotations/dto";
import { loadContent } from "@/lib/content/load-content";
import { getDb, type Db } from "@/lib/db/client";
import { publicBaseUrl } from "@/lib/research/config";
import { ANNO_CONTEXT_IRI } from "@/lib/research/jsonld";
import type { StudyDto } from "@/lib/research/studies";
import { SCHEMA_VERSION, tableDef } from "@/lib/research/tables";
import { claim, latestVersion, testArticle, type LoadedArticle } from "./support/fixtures";
import type { TestUser } from "./support/moderation";
import { csvHeader, jsonLdAnnotations, readBundle, researchData, tableRows, unguard, useTempExportDir } from "./support/research";

/**
 * anchor_events and the JSON-LD annotations' versioned targets (docs/decisions/0044): an article
 * is loaded, contributions are written, then two revised versions go through the real loader
 * (which re-anchors every contribution on the server), and the exports are read back.
 */

let db: Db;
let data: ReturnType<typeof researchData>;
let exportDir: Awaited<ReturnType<typeof useTempExportDir>>;
let alice: TestUser;
let carol: TestUser; // opted out of research exports
let researcher: TestUser;
let study: StudyDto;
let v1: LoadedArticle;
let v2: LoadedArticle;
let v3: LoadedArticle;
const c: Record<string, ContributionDto> = {};

// An emoji (two UTF-16 code units, one code point) before the fuzzy quote, and a paragraph that
// starts like a spreadsheet formula.
const P = [
  "📊 The council's own budget documents tell a different story: only 12 percent of the projected savings were ever allocated.",
  "Supporters of the closure argue that circulation had fallen by a third over a decade, which ignores the cut in opening hours.",
  "+40 percent of residents say the council should reopen the branch and publish the full audit before any further closures.",
];
const FUZZY_QUOTE = "only 12 percent of the projected savings";
const ORPHAN_QUOTE = "circulation had fallen by a third";
const P0v2 = P[0]!.replace("only 12 percent", "only 14 percent");
const P0v3 = `${P0v2} The rest went to consultants.`;

const span = (text: string, quote: string) => [text.indexOf(quote), text.indexOf(quote) + quote.length] as const;

const ld = jsonld as unknown as { expand(doc: unknown, options: object): Promise<Record<string, unknown>[]> };
const ANNO_CONTEXT = JSON.parse(readFileSync(path.join(process.cwd(), "lib/research/contexts/anno.jsonld"), "utf8")) as unknown;
async function documentLoader(url: string) {
  if (url === ANNO_CONTEXT_IRI) return { contextUrl: undefined, documentUrl: url, document: ANNO_CONTEXT };
  throw new Error(`network access attempted: ${url}`);
}

beforeAll(async () => {
  exportDir = await useTempExportDir();
  db = await getDb();
  data = researchData(db);
  alice = await data.user();
  carol = await data.user({ optOut: true });
  researcher = await data.user({ role: "RESEARCHER" });
  study = await data.study(researcher);

  v1 = await data.articleWith(P);
  c.fuzzy = await createContribution(alice, v1.slug, claim(v1, 0, span(P[0]!, FUZZY_QUOTE), { kind: "COUNTERPOINT" }));
  c.orphan = await createContribution(alice, v1.slug, claim(v1, 1, span(P[1]!, ORPHAN_QUOTE)));
  c.exact = await createContribution(alice, v1.slug, claim(v1, 2, "whole"));
  c.optedOut = await createContribution(carol, v1.slug, claim(v1, 2, [0, 11]));

  // v2: the number is corrected, paragraph 1 is deleted.
  await loadContent(db, [testArticle([P0v2, P[2]!], v1.slug)]);
  v2 = await latestVersion(db, v1.slug);
  c.onV2 = await createContribution(alice, v1.slug, claim(v2, 1, span(P[2]!, "publish the full audit")));

  // v3: a sentence is appended to the first paragraph.
  await loadContent(db, [testArticle([P0v3, P[2]!], v1.slug)]);
  v3 = await latestVersion(db, v1.slug);
  expect(v3.versionId).not.toBe(v2.versionId);
});

afterAll(async () => {
  await data?.cleanup();
  await exportDir?.remove();
});

async function exportAs(format: "csv" | "jsonl" | "jsonld", filters: Record<string, unknown> = {}) {
  const job = await data.exportNow(researcher, { studyId: study.id, format, filters: { articles: [v1.slug], ...filters } });
  return readBundle(exportDir.dir, job);
}

const anchoring = (contributionId: string, versionId: string) =>
  db.contributionAnchoring.findUniqueOrThrow({ where: { contributionId_versionId: { contributionId, versionId } } });

/** A CSV or JSONL record with every value as text (CSV's view), null for empty. */
const text = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)]));

describe("anchor_events", () => {
  it.each(["csv", "jsonl"] as const)("%s: one row per re-anchoring, from the previous placement to the new one", async (format) => {
    const { files, manifest } = await exportAs(format);
    expect(manifest.schemaVersion).toBe("1.3");
    expect(SCHEMA_VERSION).toBe("1.3");
    const rows = tableRows(files, "anchor_events").map(text);
    if (format === "csv") expect(csvHeader(files.get("anchor_events.csv")!)).toEqual(tableDef("anchor_events").columns.map((col) => col.name));
    else expect(Object.keys(tableRows(files, "anchor_events")[0]!)).toEqual(tableDef("anchor_events").columns.map((col) => col.name));

    // Three contributions written on v1 (two rows each), one on v2 (one row); none for the opted-out author.
    const of = (id: string) => rows.filter((r) => r.contribution_id === id).sort((a, b) => Number(a.to_version) - Number(b.to_version));
    expect(rows).toHaveLength(7);
    expect(manifest.counts.anchorEvents).toBe(7);
    expect(manifest.files.find((f) => f.path === `anchor_events.${format}`)?.rows).toBe(7);
    expect(of(c.optedOut!.id)).toEqual([]);
    for (const r of rows) expect(r.article_id).toBe(v1.articleId);

    // The fuzzy one, re-anchored twice: 1 → 2 from its own selector, 2 → 3 from v2's placement.
    const [f12, f23] = of(c.fuzzy!.id);
    const q14 = "only 14 percent of the projected savings";
    const [s1, e1] = span(P[0]!, FUZZY_QUOTE);
    const [s2, e2] = span(P0v2, q14);
    const a2 = await anchoring(c.fuzzy!.id, v2.versionId);
    const a3 = await anchoring(c.fuzzy!.id, v3.versionId);
    expect(f12).toMatchObject({
      from_version_id: v1.versionId,
      from_version: "1",
      to_version_id: v2.versionId,
      to_version: "2",
      method: "fuzzy",
      since_version: "2",
      old_paragraph_id: v1.paragraphs[0]!.id,
      old_anchor_id: v1.paragraphs[0]!.anchorId,
      old_exact: FUZZY_QUOTE,
      old_start_utf16: String(s1),
      old_end_utf16: String(e1),
      // The emoji before the quote is two UTF-16 code units and one code point.
      old_start: String(s1 - 1),
      old_end: String(e1 - 1),
      new_paragraph_id: v2.paragraphs[0]!.id,
      new_anchor_id: v2.paragraphs[0]!.anchorId,
      new_exact: q14,
      new_start_utf16: String(s2),
      new_end_utf16: String(e2),
      new_start: String(s2 - 1),
      new_end: String(e2 - 1),
    });
    expect(Number(f12!.score)).toBe(a2.score);
    expect(a2.score).toBeGreaterThanOrEqual(0.7);
    expect(a2.score).toBeLessThan(1);
    expect(f12!.old_prefix).toBe(P[0]!.slice(Math.max(0, s1 - 32), s1));
    expect(f12!.new_suffix).toBe(P0v2.slice(e2, e2 + 32));
    expect(f23).toMatchObject({
      from_version_id: v2.versionId,
      from_version: "2",
      to_version_id: v3.versionId,
      to_version: "3",
      method: "fuzzy",
      since_version: "2",
      // The old placement is the 1 → 2 row's new one.
      old_paragraph_id: f12!.new_paragraph_id,
      old_exact: f12!.new_exact,
      old_start_utf16: f12!.new_start_utf16,
      old_end_utf16: f12!.new_end_utf16,
      old_prefix: f12!.new_prefix,
      old_suffix: f12!.new_suffix,
      new_paragraph_id: v3.paragraphs[0]!.id,
      new_exact: q14,
    });
    expect(Number(f23!.score)).toBe(a3.score);

    // The orphan: lost in v2 (no new selector), still an orphan in v3 (no old one either).
    const [o12, o23] = of(c.orphan!.id);
    const nothing = { new_paragraph_id: null, new_anchor_id: null, new_start: null, new_end: null, new_start_utf16: null, new_end_utf16: null, new_exact: null, new_prefix: null, new_suffix: null };
    expect(o12).toMatchObject({ from_version: "1", to_version: "2", method: "orphaned", since_version: "2", old_paragraph_id: v1.paragraphs[1]!.id, old_exact: ORPHAN_QUOTE, ...nothing });
    expect(o23).toMatchObject({ from_version: "2", to_version: "3", method: "orphaned", since_version: "2", old_paragraph_id: null, old_exact: null, ...nothing });

    // The exact one: an unchanged paragraph keeps its place, score 1 and sinceVersion 1.
    const [x12, x23] = of(c.exact!.id);
    expect(x12).toMatchObject({ from_version: "1", to_version: "2", method: "exact", score: "1", since_version: "1", old_paragraph_id: v1.paragraphs[2]!.id, new_paragraph_id: v2.paragraphs[1]!.id });
    expect(x23).toMatchObject({ from_version: "2", to_version: "3", method: "exact", score: "1", since_version: "1", old_paragraph_id: v2.paragraphs[1]!.id, new_paragraph_id: v3.paragraphs[1]!.id });
    expect(x12!.old_exact).toBe(P[2]);
    expect(x23!.new_exact).toBe(P[2]);

    // Written on v2: one row, 2 → 3, from its own selector.
    const [w23] = of(c.onV2!.id);
    expect(of(c.onV2!.id)).toHaveLength(1);
    expect(w23).toMatchObject({ from_version_id: v2.versionId, to_version: "3", method: "exact", old_paragraph_id: v2.paragraphs[1]!.id, old_exact: "publish the full audit", new_exact: "publish the full audit" });

    // Every version named is in article_versions; every paragraph in paragraphs.
    const versionIds = new Set(tableRows(files, "article_versions").map((v) => v.version_id));
    const paragraphIds = new Set(tableRows(files, "paragraphs").map((p) => p.paragraph_id));
    for (const r of rows) {
      expect(versionIds.has(r.from_version_id) && versionIds.has(r.to_version_id)).toBe(true);
      for (const p of [r.old_paragraph_id, r.new_paragraph_id]) if (p !== null) expect(paragraphIds.has(p)).toBe(true);
    }
    // In data-dictionary.md, with every column.
    const dict = files.get("data-dictionary.md")!.toString("utf8");
    expect(dict).toContain("## anchor_events");
    for (const col of tableDef("anchor_events").columns) expect(dict).toContain(`| \`${col.name}\` |`);
    expect(files.get("README.md")!.toString("utf8")).toContain("7 anchor events");
  });

  it("follows the export's filters and guards formula-like text in spreadsheet-safe CSV", async () => {
    // Only annotations: the counterpoint's rows go with it.
    const { files, manifest } = await exportAs("csv", { kinds: ["ANNOTATION"], spreadsheetSafe: true });
    const rows = tableRows(files, "anchor_events");
    expect(rows.some((r) => r.contribution_id === c.fuzzy!.id)).toBe(false);
    expect(rows).toHaveLength(5);
    expect(manifest.counts.anchorEvents).toBe(5);
    const x = rows.find((r) => r.contribution_id === c.exact!.id && r.to_version === "2")!;
    expect(x.old_exact).toBe(`'${P[2]}`);
    expect(x.new_exact).toBe(`'${P[2]}`);
    expect(unguard(x.new_exact as string)).toBe(P[2]);
    // Numbers are not text: never guarded.
    expect(x.score).toBe("1");
    // A day before anything was written: no contributions, so no anchor events.
    const none = await exportAs("csv", { to: "2026-01-01" });
    expect(tableRows(none.files, "anchor_events")).toEqual([]);
    expect(none.files.get("anchor_events.csv")!.toString("utf8")).toBe(`${tableDef("anchor_events").columns.map((col) => col.name).join(",")}\r\n`);
  });
});

describe("JSON-LD targets name their version and the current one", () => {
  it("a re-anchored annotation targets its own version and the latest; an orphan says so, with no current selector", async () => {
    const { files, manifest } = await exportAs("jsonld");
    expect(manifest.counts.anchorEvents).toBe(7);
    expect(tableRows(files, "anchor_events")).toHaveLength(7);
    const annotations = jsonLdAnnotations(files);
    const byId = new Map(annotations.map((a) => [String(a.id).replace(/^urn:uuid:/, ""), a]));
    const base = publicBaseUrl();
    const sourceOf = (v: number) => `${base}/articles/${encodeURIComponent(v1.slug)}?version=${v}`;

    // Fuzzy: [its target on v1, its placement on v3 with method, score and since].
    const fuzzy = byId.get(c.fuzzy!.id)!.target as Record<string, unknown>[];
    expect(Array.isArray(fuzzy)).toBe(true);
    expect(fuzzy).toHaveLength(2);
    const [s1, e1] = span(P[0]!, FUZZY_QUOTE);
    expect(fuzzy[0]).toMatchObject({
      type: "SpecificResource",
      source: sourceOf(1),
      selector: [
        { type: "TextQuoteSelector", exact: FUZZY_QUOTE },
        { type: "TextPositionSelector", start: s1 - 1, end: e1 - 1 },
        { type: "FragmentSelector", value: v1.paragraphs[0]!.anchorId, refinedBy: { type: "TextPositionSelector", start: s1 - 1, end: e1 - 1 } },
      ],
    });
    const q14 = "only 14 percent of the projected savings";
    const [s3, e3] = span(P0v3, q14);
    const a3 = await anchoring(c.fuzzy!.id, v3.versionId);
    expect(fuzzy[1]).toEqual({
      type: "SpecificResource",
      source: sourceOf(3),
      selector: [
        { type: "TextQuoteSelector", exact: q14, prefix: P0v3.slice(s3 - 32, s3), suffix: P0v3.slice(e3, e3 + 32) },
        { type: "TextPositionSelector", start: s3 - 1, end: e3 - 1 },
        {
          type: "FragmentSelector",
          conformsTo: "http://tools.ietf.org/rfc/rfc3986",
          value: v3.paragraphs[0]!.anchorId,
          refinedBy: { type: "TextPositionSelector", start: s3 - 1, end: e3 - 1 },
        },
      ],
      anchoringMethod: "fuzzy",
      anchoringScore: a3.score,
      anchoredSinceVersion: 2,
    });
    expect(byId.get(c.fuzzy!.id)!.orphanedOn).toBeUndefined();

    // Exact, whole paragraph: on v3 it is the second paragraph, whose plain text starts after the first and a blank line.
    const exact = byId.get(c.exact!.id)!.target as Record<string, unknown>[];
    expect(exact.map((t) => t.source)).toEqual([sourceOf(1), sourceOf(3)]);
    expect(exact[1]).toMatchObject({ anchoringMethod: "exact", anchoringScore: 1, anchoredSinceVersion: 1 });
    const len = (s: string) => [...s].length;
    expect((exact[1]!.selector as Record<string, unknown>[])[1]).toEqual({ type: "TextPositionSelector", start: len(P0v3) + 2, end: len(P0v3) + 2 + len(P[2]!) });

    // Orphan: only its original target; orphanedOn names v3, with no selector.
    const orphan = byId.get(c.orphan!.id)!;
    expect(orphan.target).toMatchObject({ type: "SpecificResource", source: sourceOf(1) });
    expect(orphan.orphanedOn).toEqual({ type: "SpecificResource", source: sourceOf(3), anchoringMethod: "orphaned", anchoringScore: (await anchoring(c.orphan!.id, v3.versionId)).score, anchoredSinceVersion: 2 });

    // Written on v2, re-anchored onto v3.
    expect((byId.get(c.onV2!.id)!.target as Record<string, unknown>[]).map((t) => t.source)).toEqual([sourceOf(2), sourceOf(3)]);

    // Still valid JSON-LD for the W3C context: every page expands in safe mode (no term dropped),
    // and the platform's terms become full IRIs.
    const pages = [...files.keys()].filter((f) => /^annotations\/page-\d{5}\.jsonld$/.test(f));
    for (const p of pages) {
      const expanded = await ld.expand(JSON.parse(files.get(p)!.toString("utf8")), { documentLoader, safe: true });
      expect(JSON.stringify(expanded)).toContain(`${base}/ns/discussion#anchoringMethod`);
      expect(JSON.stringify(expanded)).toContain(`${base}/ns/discussion#orphanedOn`);
    }
  });

  it("an article that was never revised gives annotations a single target and no anchor events", async () => {
    const other = await data.articleWith(["A paragraph that nobody revises, about the branch library's opening hours."]);
    const mine = await createContribution(alice, other.slug, claim(other, 0, [2, 11]));
    const job = await data.exportNow(researcher, { studyId: study.id, format: "jsonld", filters: { articles: [other.slug] } });
    const { files } = await readBundle(exportDir.dir, job);
    const [a] = jsonLdAnnotations(files);
    expect(a!.id).toBe(`urn:uuid:${mine.id}`);
    expect(Array.isArray(a!.target)).toBe(false);
    expect(String((a!.target as Record<string, unknown>).source)).toMatch(/\?version=1$/);
    expect(a!.orphanedOn).toBeUndefined();
    expect(tableRows(files, "anchor_events")).toEqual([]);
  });
});
