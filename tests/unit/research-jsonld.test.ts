/**
 * W3C Web Annotation JSON-LD, checked with a real JSON-LD processor (jsonld.js) against the
 * bundled W3C context: the document loader serves lib/research/contexts/anno.jsonld and throws for
 * any other URL, and fetch is stubbed to throw, so nothing here can touch the network.
 *
 * - toAnnotation for every kind (annotation, counterpoint, source with and without note/title, a
 *   reply), expanded in safe mode (jsonld.js throws if any term would be dropped) and compacted
 *   back to the same document (nothing lost or changed), with the expanded oa:/dcterms:/local IRIs
 *   checked one by one;
 * - TextPositionSelector offsets in code points (emoji before the quote, astral text in an earlier
 *   paragraph), TextQuoteSelector context cut in the middle of a surrogate pair;
 * - AnnotationPageWriter: 2,500 annotations -> a collection and 3 pages with consistent links;
 *   1,000 -> exactly one page; 0 -> a collection with total 0 and no pages;
 * - the W3C MUSTs of issue 4 ("Formats, precisely") on every annotation, page and collection.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import jsonld from "jsonld";
import { selectorFor } from "@/lib/annotations/selector";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ANNO_CONTEXT_IRI,
  AnnotationPageWriter,
  collectionIri,
  contextFor,
  PAGE_SIZE,
  pageFile,
  pseudonymIri,
  toAnnotation,
  versionSourceIri,
  type JsonLdEnv,
} from "@/lib/research/jsonld";
import { pseudonymizer, pseudonymOf } from "@/lib/research/pseudonym";
import type { ContributionRow, ParagraphInfo, VersionRow } from "@/lib/research/source";
import { PARAGRAPH_SEPARATOR } from "@/lib/research/text-positions";
import { tempDir } from "./fixtures/research-corpus";

// ---------------------------------------------------------------- vocabularies

const OA = "http://www.w3.org/ns/oa#";
const DCTERMS = "http://purl.org/dc/terms/";
const DC = "http://purl.org/dc/elements/1.1/";
const XSD = "http://www.w3.org/2001/XMLSchema#";
const AS = "http://www.w3.org/ns/activitystreams#";
const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS = "http://www.w3.org/2000/01/rdf-schema#";
const FOAF = "http://xmlns.com/foaf/0.1/";

/** The Web Annotation model's motivations (§3.3.5): motivation and purpose must be one of these. */
const W3C_MOTIVATIONS = [
  "assessing",
  "bookmarking",
  "classifying",
  "commenting",
  "describing",
  "editing",
  "highlighting",
  "identifying",
  "linking",
  "moderating",
  "questioning",
  "replying",
  "tagging",
];

const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ABSOLUTE_IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i;

// ---------------------------------------------------------------- JSON-LD processor, offline

type Json = Record<string, unknown>;
const ld = jsonld as unknown as {
  expand(doc: unknown, options: object): Promise<Json[]>;
  compact(doc: unknown, context: unknown, options: object): Promise<Json>;
};

const ANNO_CONTEXT = JSON.parse(readFileSync(path.join(process.cwd(), "lib/research/contexts/anno.jsonld"), "utf8")) as unknown;
const requested: string[] = [];

async function documentLoader(url: string) {
  requested.push(url);
  if (url === ANNO_CONTEXT_IRI) return { contextUrl: undefined, documentUrl: url, document: ANNO_CONTEXT };
  throw new Error(`network access attempted: ${url}`);
}

/** Expands in safe mode: jsonld.js throws instead of silently dropping a term it cannot map. */
const expand = (doc: unknown) => ld.expand(doc, { documentLoader, safe: true });
const compact = (doc: unknown) => ld.compact(doc, contextFor(BASE), { documentLoader, safe: true });

// ---------------------------------------------------------------- fixtures

const BASE = "https://discuss.example";
const LOCAL = `${BASE}/ns/discussion#`;
const STUDY_ID = "5a1e0c3b-7d2f-4e6a-9b8c-0d1e2f3a4b5c";
const EXPORT_ID = "e0e0e0e0-1111-4222-8333-444455556666";
const KEY = new Uint8Array(32).fill(9);
const AUTHOR = "6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab";
const REPLIER = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f12345678";
const ARTICLE_ID = "a1a1a1a1-0000-4000-8000-000000000001";
const VERSION_ID = "b2b2b2b2-0000-4000-8000-000000000002";

const VERSION: VersionRow = {
  version_id: VERSION_ID,
  article_id: ARTICLE_ID,
  slug: "war-and-words",
  version_number: 2,
  title: "War and words",
  content_sha256: "ab".repeat(32),
  created_at: "2026-11-01T08:00:00.000Z",
};

/** Paragraph texts: astral characters before the claims, in the same and in an earlier paragraph. */
const TEXTS = [
  "First 😀 paragraph, with an emoji and a flag 🇺🇦.",
  "Emoji 😀😀 come before 👨‍👩‍👧‍👦 and then the claim is here, with more words after it.",
  `😀${"x".repeat(31)}CLAIM${"y".repeat(31)}🎉`,
  "عربي: the quoted part, and Hebrew עברית after.",
];

/** The paragraphs as lib/research/source.ts loadParagraphs computes them. */
const PARAGRAPHS: ParagraphInfo[] = (() => {
  let offset = 0;
  return TEXTS.map((text, position) => {
    if (position > 0) offset += PARAGRAPH_SEPARATOR.length;
    const length = Array.from(text).length;
    const p = {
      paragraph_id: `c3c3c3c3-0000-4000-8000-00000000000${position}`,
      version_id: VERSION_ID,
      position,
      anchor_id: `p-${position}-anchor`,
      text,
      length,
      version_text_start: offset,
    };
    offset += length;
    return p;
  });
})();
const VERSION_TEXT = TEXTS.join(PARAGRAPH_SEPARATOR);

const env: JsonLdEnv = {
  base: BASE,
  studyId: STUDY_ID,
  exportId: EXPORT_ID,
  paragraphs: new Map(PARAGRAPHS.map((p) => [p.paragraph_id, p])),
  versions: new Map([[VERSION_ID, VERSION]]),
  pseudonym: pseudonymizer(KEY),
};

let seq = 0;
const uuid = () => `d4d4d4d4-0000-4000-8000-${String(++seq).padStart(12, "0")}`;

/** A contribution row as the export's SQL returns it, selecting `quote` in paragraph `p`. */
function row(p: number, quote: string, over: Partial<ContributionRow> = {}): ContributionRow {
  const para = PARAGRAPHS[p]!;
  const start = para.text.indexOf(quote);
  if (start < 0) throw new Error(`"${quote}" is not in paragraph ${p}`);
  const sel = selectorFor(para.text, start, start + quote.length);
  return {
    id: uuid(),
    article_id: ARTICLE_ID,
    version_id: VERSION_ID,
    paragraph_id: para.paragraph_id,
    anchor_id: para.anchor_id,
    kind: "ANNOTATION",
    status: "PUBLISHED",
    author_id: AUTHOR,
    body: "A comment with “quotes”, 😀 and a line\nbreak.",
    source_url: null,
    source_title: null,
    stance: null,
    source_domain: null,
    source_doi: null,
    source_archive_url: null,
    source_quote: null,
    quote_exact: sel.exact,
    // What PostgreSQL gives back: text went in as UTF-8, so a lone surrogate came back as U+FFFD.
    quote_prefix: Buffer.from(sel.prefix, "utf8").toString("utf8"),
    quote_suffix: Buffer.from(sel.suffix, "utf8").toString("utf8"),
    start_utf16: sel.start,
    end_utf16: sel.end,
    whole_paragraph: false,
    parent_id: null,
    root_id: null,
    depth: 0,
    created_at: "2026-11-27T09:30:00.000Z",
    edited_at: null,
    version: 1,
    ...over,
  };
}

const ANNOTATION = row(1, "the claim is here");
const COUNTERPOINT = row(0, "paragraph, with an emoji", {
  kind: "COUNTERPOINT",
  body: "That is not what the figures say.",
  edited_at: "2026-11-28T10:00:00.123Z",
});
const SOURCE_FULL = row(1, "the claim is here", {
  kind: "SOURCE",
  body: "The report's table 3 has the figures.",
  source_url: "https://evidence.example/report?id=1&lang=en#table-3",
  source_title: "Annual report 2026",
  stance: "SUPPORTS",
});
const SOURCE_BARE = row(3, "the quoted part", {
  kind: "SOURCE",
  body: "",
  source_url: "https://evidence.example/other",
  source_title: null,
  stance: "REFUTES",
});
const SOURCE_DETAILED = row(3, "the quoted part", {
  kind: "SOURCE",
  body: "",
  source_url: "https://www.evidence.example/paper",
  source_title: "A paper",
  stance: "CONTEXT",
  source_domain: "evidence.example",
  source_doi: "doi:10.1234/abc(1)",
  source_archive_url: "https://web.archive.example/2026/https://www.evidence.example/paper",
  source_quote: "We found “no effect” 😀.",
});
const REPLY = row(1, "the claim is here", { parent_id: ANNOTATION.id, root_id: ANNOTATION.id, depth: 1, author_id: REPLIER, body: "I disagree with your comment." });
const COUNTER_REPLY = row(1, "the claim is here", { kind: "COUNTERPOINT", parent_id: COUNTERPOINT.id, root_id: COUNTERPOINT.id, depth: 1, body: "A counterpoint that replies." });
const CUT_RAW = (() => {
  // What rows stored before selectorFor trimmed half characters hold in memory: a lone surrogate.
  const r = row(2, "CLAIM");
  const text = TEXTS[2]!;
  return { ...r, quote_prefix: text.slice(Math.max(0, r.start_utf16 - 32), r.start_utf16), quote_suffix: text.slice(r.end_utf16, r.end_utf16 + 32) };
})();
/** The same row as PostgreSQL gives it back: UTF-8 turned each half character into U+FFFD. */
const CUT = {
  ...CUT_RAW,
  id: uuid(),
  status: "HIDDEN",
  quote_prefix: Buffer.from(CUT_RAW.quote_prefix, "utf8").toString("utf8"),
  quote_suffix: Buffer.from(CUT_RAW.quote_suffix, "utf8").toString("utf8"),
};
const ALL = [ANNOTATION, COUNTERPOINT, SOURCE_FULL, SOURCE_BARE, SOURCE_DETAILED, REPLY, COUNTER_REPLY, CUT, CUT_RAW];

/** One annotation as a stand-alone JSON-LD document. */
const standalone = (c: ContributionRow) => ({ "@context": contextFor(BASE), ...toAnnotation(c, env) });

// ---------------------------------------------------------------- expanded-form helpers

const values = (node: Json, iri: string) => (node[iri] ?? []) as Json[];
function only(node: Json, iri: string): Json {
  const v = values(node, iri);
  expect(v, `exactly one ${iri}`).toHaveLength(1);
  return v[0]!;
}
const ids = (node: Json, iri: string) => values(node, iri).map((v) => v["@id"]);
const types = (node: Json) => (node["@type"] ?? []) as string[];
const valueOf = (node: Json, iri: string) => only(node, iri)["@value"];

function selectorOf(target: Json, type: string): Json {
  const found = values(target, `${OA}hasSelector`).filter((s) => types(s).includes(`${OA}${type}`));
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

function textTarget(anno: Json): Json {
  const t = values(anno, `${OA}hasTarget`).filter((x) => types(x).includes(`${OA}SpecificResource`));
  expect(t).toHaveLength(1);
  return t[0]!;
}

/** Every property key anywhere in an expanded document. */
function allKeys(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => allKeys(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      out.add(k);
      allKeys(v, out);
    }
  }
  return out;
}

const cp = (text: string, utf16: number) => Array.from(text.slice(0, utf16)).length;

// ---------------------------------------------------------------- W3C MUSTs on the compact form

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function hasAnnoContext(doc: Json): boolean {
  const ctx = doc["@context"];
  return ctx === ANNO_CONTEXT_IRI || (Array.isArray(ctx) && ctx.includes(ANNO_CONTEXT_IRI));
}

/** The MUSTs (and the requirements) for one annotation in compact form. */
function checkAnnotationMusts(a: Json, where: string) {
  expect(typeof a.id, `${where}: id`).toBe("string");
  expect(a.id as string, `${where}: id is an IRI`).toMatch(ABSOLUTE_IRI);
  expect(asArray(a.type as string | string[]), `${where}: type`).toContain("Annotation");
  const motivations = asArray(a.motivation as string | string[]);
  expect(motivations.length, `${where}: motivation`).toBeGreaterThan(0);
  for (const m of motivations) expect(W3C_MOTIVATIONS, `${where}: motivation ${m}`).toContain(m);
  expect(a.created as string, `${where}: created`).toMatch(UTC);
  if (a.modified !== undefined) expect(a.modified as string, `${where}: modified`).toMatch(UTC);
  const creator = a.creator as Json;
  expect(creator.id as string, `${where}: creator`).toMatch(ABSOLUTE_IRI);

  const targets = asArray(a.target as unknown);
  expect(targets.length, `${where}: target`).toBeGreaterThan(0);
  const specific = targets.filter((t): t is Json => typeof t === "object");
  expect(specific, `${where}: one text target`).toHaveLength(1);
  for (const t of targets) if (typeof t === "string") expect(t, `${where}: target IRI`).toMatch(ABSOLUTE_IRI);
  const target = specific[0]!;
  expect(target.source as string, `${where}: target source`).toMatch(ABSOLUTE_IRI);
  const selectors = asArray(target.selector as Json | Json[]);
  const quote = selectors.filter((s) => s.type === "TextQuoteSelector");
  const position = selectors.filter((s) => s.type === "TextPositionSelector");
  expect(quote, `${where}: TextQuoteSelector`).toHaveLength(1);
  expect(position, `${where}: TextPositionSelector`).toHaveLength(1);
  expect(typeof quote[0]!.exact === "string" && (quote[0]!.exact as string).length > 0, `${where}: exact`).toBe(true);
  for (const k of ["prefix", "suffix"]) {
    const s = quote[0]![k];
    if (s !== undefined) expect(s, `${where}: ${k} is whole characters`).not.toMatch(/[\uD800-\uDFFF]/u);
  }
  const positions = [...position, ...selectors.map((s) => s.refinedBy as Json | undefined).filter((s): s is Json => !!s)];
  for (const p of positions) {
    expect(Number.isInteger(p.start) && (p.start as number) >= 0, `${where}: start`).toBe(true);
    expect(Number.isInteger(p.end) && (p.end as number) >= (p.start as number), `${where}: end`).toBe(true);
  }
  for (const s of selectors.filter((x) => x.type === "FragmentSelector")) expect(typeof s.value, `${where}: fragment value`).toBe("string");

  const bodies = asArray(a.body as Json | Json[]);
  expect(bodies.length, `${where}: body`).toBeGreaterThan(0);
  for (const b of bodies) {
    if (b.type === "TextualBody") expect(typeof b.value, `${where}: TextualBody value`).toBe("string");
    else if (b.type === "SpecificResource") expect(b.source as string, `${where}: SpecificResource source`).toMatch(ABSOLUTE_IRI);
    else throw new Error(`${where}: unexpected body type ${String(b.type)}`);
    for (const p of asArray(b.purpose as string | string[])) expect(W3C_MOTIVATIONS, `${where}: purpose ${p}`).toContain(p);
  }
}

// ---------------------------------------------------------------- tests

beforeAll(() => {
  vi.stubGlobal("fetch", () => {
    throw new Error("network access attempted through fetch");
  });
});
afterAll(() => {
  vi.unstubAllGlobals();
});
beforeEach(() => {
  requested.length = 0;
});
afterEach(() => {
  // The only document ever loaded is the bundled W3C context.
  for (const url of requested) expect(url).toBe(ANNO_CONTEXT_IRI);
});

describe("the offline document loader", () => {
  it("serves the bundled W3C context and refuses anything else", async () => {
    const out = await expand({ "@context": ANNO_CONTEXT_IRI, id: "urn:x:1", type: "Annotation" });
    expect(types(out[0]!)).toEqual([`${OA}Annotation`]);
    await expect(ld.expand({ "@context": "https://example.org/other.jsonld", a: 1 }, { documentLoader })).rejects.toThrow();
    requested.length = 0;
  });

  it("bundles the W3C context with the terms the export uses", () => {
    const ctx = (ANNO_CONTEXT as { "@context": Record<string, unknown> })["@context"];
    for (const term of ["Annotation", "AnnotationCollection", "AnnotationPage", "TextQuoteSelector", "TextPositionSelector", "FragmentSelector", "assessing", "replying"]) {
      expect(ctx, term).toHaveProperty(term);
    }
  });

  it("safe mode really does reject a term the context does not define", async () => {
    await expect(expand({ "@context": contextFor(BASE), id: "urn:x:2", type: "Annotation", notATerm: 1 })).rejects.toThrow();
  });
});

describe("toAnnotation", () => {
  it("every annotation meets the W3C MUSTs, expands without dropping a term and compacts back to itself", async () => {
    for (const c of ALL) {
      const doc = standalone(c);
      expect(hasAnnoContext(doc)).toBe(true);
      checkAnnotationMusts(doc, c.kind);
      const expanded = await expand(doc);
      expect(expanded).toHaveLength(1);
      // Every key of the expanded form is a keyword or an absolute IRI: no term stayed unmapped.
      for (const k of allKeys(expanded)) expect(k.startsWith("@") || ABSOLUTE_IRI.test(k), k).toBe(true);
      // Nothing lost or changed: compacting the expansion with the same context gives the document back.
      expect(await compact(expanded)).toEqual(JSON.parse(JSON.stringify(doc)));
    }
  });

  it("ANNOTATION: an oa:Annotation motivated by commenting, on the version, with code-point positions", async () => {
    const [a] = await expand(standalone(ANNOTATION));
    expect(a!["@id"]).toBe(`urn:uuid:${ANNOTATION.id}`);
    expect(types(a!)).toContain(`${OA}Annotation`);
    expect(ids(a!, `${OA}motivatedBy`)).toEqual([`${OA}commenting`]);
    expect(only(a!, `${DCTERMS}created`)).toEqual({ "@type": `${XSD}dateTime`, "@value": "2026-11-27T09:30:00.000Z" });
    expect(a![`${DCTERMS}modified`]).toBeUndefined();

    const creator = only(a!, `${DCTERMS}creator`);
    expect(creator["@id"]).toBe(pseudonymIri(BASE, STUDY_ID, pseudonymOf(KEY, AUTHOR)));
    expect(creator["@id"] as string).toMatch(ABSOLUTE_IRI);
    expect(creator["@id"] as string).not.toContain(AUTHOR);
    expect(types(creator)).toEqual([`${FOAF}Person`]);

    const body = only(a!, `${OA}hasBody`);
    expect(types(body)).toEqual([`${OA}TextualBody`]);
    expect(valueOf(body, `${RDF}value`)).toBe(ANNOTATION.body);
    expect(valueOf(body, `${DC}format`)).toBe("text/markdown");
    expect(ids(body, `${OA}hasPurpose`)).toEqual([`${OA}commenting`]);

    const target = only(a!, `${OA}hasTarget`);
    expect(types(target)).toEqual([`${OA}SpecificResource`]);
    expect(ids(target, `${OA}hasSource`)).toEqual([versionSourceIri(BASE, VERSION)]);
    expect(values(target, `${OA}hasSelector`)).toHaveLength(3);

    const para = PARAGRAPHS[1]!;
    const quote = selectorOf(target, "TextQuoteSelector");
    expect(valueOf(quote, `${OA}exact`)).toBe("the claim is here");
    expect(valueOf(quote, `${OA}prefix`)).toBe(para.text.slice(ANNOTATION.start_utf16 - 32, ANNOTATION.start_utf16));
    expect(valueOf(quote, `${OA}suffix`)).toBe(para.text.slice(ANNOTATION.end_utf16, ANNOTATION.end_utf16 + 32));

    // Positions in the version's plain text, in code points.
    const pos = selectorOf(target, "TextPositionSelector");
    const start = only(pos, `${OA}start`);
    const end = only(pos, `${OA}end`);
    expect(start["@type"]).toBe(`${XSD}nonNegativeInteger`);
    expect(end["@type"]).toBe(`${XSD}nonNegativeInteger`);
    const vStart = para.version_text_start + cp(para.text, ANNOTATION.start_utf16);
    const vEnd = para.version_text_start + cp(para.text, ANNOTATION.end_utf16);
    expect([start["@value"], end["@value"]]).toEqual([vStart, vEnd]);
    expect(Array.from(VERSION_TEXT).slice(vStart, vEnd).join("")).toBe("the claim is here");
    // …which is not what UTF-16 offsets would give (the emoji before the quote count once each).
    const utf16 = VERSION_TEXT.indexOf("the claim is here");
    expect(vStart).not.toBe(utf16);
    // 9 astral characters come before it: 😀 and the two regional indicators of 🇺🇦 in the first
    // paragraph, 😀😀 and the four people of 👨‍👩‍👧‍👦 in this one.
    expect(utf16 - vStart).toBe(9);

    // The paragraph anchor, refined by positions in the paragraph, also in code points.
    const fragment = selectorOf(target, "FragmentSelector");
    expect(valueOf(fragment, `${RDF}value`)).toBe(para.anchor_id);
    expect(ids(fragment, `${DCTERMS}conformsTo`)).toHaveLength(1);
    const refined = only(fragment, `${OA}refinedBy`);
    expect(types(refined)).toEqual([`${OA}TextPositionSelector`]);
    const rs = valueOf(refined, `${OA}start`) as number;
    const re = valueOf(refined, `${OA}end`) as number;
    expect([rs, re]).toEqual([cp(para.text, ANNOTATION.start_utf16), cp(para.text, ANNOTATION.end_utf16)]);
    expect(rs).toBeLessThan(ANNOTATION.start_utf16);
    expect(Array.from(para.text).slice(rs, re).join("")).toBe("the claim is here");

    // The platform's own terms, as full IRIs.
    expect(valueOf(a!, `${LOCAL}contributionKind`)).toBe("ANNOTATION");
    expect(valueOf(a!, `${LOCAL}moderationStatus`)).toBe("PUBLISHED");
    expect(only(a!, `${LOCAL}publiclyVisible`)).toEqual({ "@type": `${XSD}boolean`, "@value": true });
    expect(a![`${LOCAL}stance`]).toBeUndefined();
  });

  it("COUNTERPOINT: motivated by assessing, body purpose assessing, modified in UTC", async () => {
    const [a] = await expand(standalone(COUNTERPOINT));
    expect(ids(a!, `${OA}motivatedBy`)).toEqual([`${OA}assessing`]);
    const body = only(a!, `${OA}hasBody`);
    expect(ids(body, `${OA}hasPurpose`)).toEqual([`${OA}assessing`]);
    expect(valueOf(body, `${RDF}value`)).toBe(COUNTERPOINT.body);
    expect(only(a!, `${DCTERMS}modified`)).toEqual({ "@type": `${XSD}dateTime`, "@value": "2026-11-28T10:00:00.123Z" });
    expect(valueOf(a!, `${LOCAL}contributionKind`)).toBe("COUNTERPOINT");
    // An astral character before the quote in the same paragraph (the first of the version).
    const pos = selectorOf(textTarget(a!), "TextPositionSelector");
    const s = valueOf(pos, `${OA}start`) as number;
    expect(s).toBe(cp(TEXTS[0]!, COUNTERPOINT.start_utf16));
    expect(s).toBe(COUNTERPOINT.start_utf16 - 1);
  });

  it("SOURCE with a note and a title: linking; the URL a SpecificResource body, the note a describing TextualBody", async () => {
    const [a] = await expand(standalone(SOURCE_FULL));
    expect(ids(a!, `${OA}motivatedBy`)).toEqual([`${OA}linking`]);
    const bodies = values(a!, `${OA}hasBody`);
    expect(bodies).toHaveLength(2);
    const link = bodies.find((b) => types(b).includes(`${OA}SpecificResource`))!;
    expect(ids(link, `${OA}hasSource`)).toEqual([SOURCE_FULL.source_url]);
    expect(ids(link, `${OA}hasPurpose`)).toEqual([`${OA}linking`]);
    expect(valueOf(link, `${DCTERMS}title`)).toBe("Annual report 2026");
    const note = bodies.find((b) => types(b).includes(`${OA}TextualBody`))!;
    expect(valueOf(note, `${RDF}value`)).toBe(SOURCE_FULL.body);
    expect(ids(note, `${OA}hasPurpose`)).toEqual([`${OA}describing`]);
    expect(valueOf(a!, `${LOCAL}stance`)).toBe("SUPPORTS");
    expect(valueOf(a!, `${LOCAL}contributionKind`)).toBe("SOURCE");
  });

  it("SOURCE without note or title: one SpecificResource body, no title, no empty TextualBody", async () => {
    const [a] = await expand(standalone(SOURCE_BARE));
    expect(ids(a!, `${OA}motivatedBy`)).toEqual([`${OA}linking`]);
    const body = only(a!, `${OA}hasBody`);
    expect(types(body)).toEqual([`${OA}SpecificResource`]);
    expect(ids(body, `${OA}hasSource`)).toEqual(["https://evidence.example/other"]);
    expect(body[`${DCTERMS}title`]).toBeUndefined();
    expect(valueOf(a!, `${LOCAL}stance`)).toBe("REFUTES");
    // RTL text before the quote is all BMP: positions equal UTF-16 offsets in the paragraph.
    const refined = only(selectorOf(textTarget(a!), "FragmentSelector"), `${OA}refinedBy`);
    expect(valueOf(refined, `${OA}start`)).toBe(SOURCE_BARE.start_utf16);
  });

  it("SOURCE with a DOI, an archived copy and a quote: the copy is the link's TimeState cached, the DOI a second linking body", async () => {
    const [a] = await expand(standalone(SOURCE_DETAILED));
    const bodies = values(a!, `${OA}hasBody`);
    expect(bodies).toHaveLength(2);
    const sources = bodies.map((b) => ids(b, `${OA}hasSource`)[0]);
    expect(sources).toEqual([SOURCE_DETAILED.source_url, "https://doi.org/10.1234/abc(1)"]);
    for (const b of bodies) {
      expect(types(b)).toEqual([`${OA}SpecificResource`]);
      expect(ids(b, `${OA}hasPurpose`)).toEqual([`${OA}linking`]);
    }
    const state = only(bodies[0]!, `${OA}hasState`);
    expect(types(state)).toEqual([`${OA}TimeState`]);
    expect(ids(state, `${OA}cachedSource`)).toEqual([SOURCE_DETAILED.source_archive_url]);
    expect(bodies[1]![`${OA}hasState`]).toBeUndefined();
    expect(valueOf(a!, `${LOCAL}sourceQuote`)).toBe(SOURCE_DETAILED.source_quote);
    // Without them: no state, no DOI body, no quote.
    const [plain] = await expand(standalone(SOURCE_BARE));
    expect(only(plain!, `${OA}hasBody`)[`${OA}hasState`]).toBeUndefined();
    expect(plain![`${LOCAL}sourceQuote`]).toBeUndefined();
  });

  it("a reply: motivated by replying, body purpose replying, targets its parent and the text", async () => {
    for (const [reply, parent] of [
      [REPLY, ANNOTATION],
      [COUNTER_REPLY, COUNTERPOINT],
    ] as const) {
      const [a] = await expand(standalone(reply));
      expect(ids(a!, `${OA}motivatedBy`)).toEqual([`${OA}replying`]);
      expect(ids(only(a!, `${OA}hasBody`), `${OA}hasPurpose`)).toEqual([`${OA}replying`]);
      const targets = values(a!, `${OA}hasTarget`);
      expect(targets).toHaveLength(2);
      expect(targets.map((t) => t["@id"])).toContain(`urn:uuid:${parent.id}`);
      expect(ids(textTarget(a!), `${OA}hasSource`)).toEqual([versionSourceIri(BASE, VERSION)]);
    }
    const [r] = await expand(standalone(REPLY));
    expect(only(r!, `${DCTERMS}creator`)["@id"]).toBe(pseudonymIri(BASE, STUDY_ID, pseudonymOf(KEY, REPLIER)));
  });

  it("a quote context cut in the middle of a surrogate pair: whole characters only, matching the text", async () => {
    const text = TEXTS[2]!;
    // What the export reads back from PostgreSQL: the half emoji became U+FFFD.
    expect(CUT.quote_prefix.startsWith("\uFFFD")).toBe(true);
    expect(CUT_RAW.quote_prefix.charCodeAt(0)).toBe(0xde00);
    for (const c of [CUT, CUT_RAW]) {
      const [a] = await expand(standalone(c));
      const quote = selectorOf(textTarget(a!), "TextQuoteSelector");
      const prefix = valueOf(quote, `${OA}prefix`) as string;
      const suffix = valueOf(quote, `${OA}suffix`) as string;
      expect(prefix).toBe("x".repeat(31));
      expect(suffix).toBe("y".repeat(31));
      expect(text.slice(0, c.start_utf16).endsWith(prefix)).toBe(true);
      expect(text.slice(c.end_utf16).startsWith(suffix)).toBe(true);
      expect(Buffer.from(prefix + suffix, "utf8").toString("utf8")).toBe(prefix + suffix);
    }
    const [hidden] = await expand(standalone(CUT));
    expect(valueOf(hidden!, `${LOCAL}moderationStatus`)).toBe("HIDDEN");
    expect(valueOf(hidden!, `${LOCAL}publiclyVisible`)).toBe(false);
  });

  it("throws for a contribution whose paragraph is not in the export (never a dangling target)", () => {
    expect(() => toAnnotation({ ...ANNOTATION, paragraph_id: "ffffffff-0000-4000-8000-000000000000" }, env)).toThrow(/not in the export/);
  });
});

// ---------------------------------------------------------------- pages and the collection

describe("AnnotationPageWriter", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir("research-jsonld"));
    await mkdir(path.join(dir, "annotations"));
  });
  afterEach(async () => cleanup());

  const COLLECTION = collectionIri(BASE, EXPORT_ID);
  const pageIri = (n: number) => `${COLLECTION}/page-${n}`;

  async function writeN(n: number) {
    const writer = new AnnotationPageWriter(dir, BASE, EXPORT_ID, "Study: research export");
    const kinds = ["ANNOTATION", "COUNTERPOINT", "SOURCE"] as const;
    const annotationIds: string[] = [];
    for (let i = 0; i < n; i++) {
      const kind = kinds[i % 3]!;
      const c = row(1, "the claim is here", {
        kind,
        created_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
        ...(kind === "SOURCE" ? { source_url: `https://evidence.example/${i}`, stance: "CONTEXT" } : {}),
      });
      annotationIds.push(`urn:uuid:${c.id}`);
      await writer.add(toAnnotation(c, env));
    }
    await writer.close();
    return { writer, annotationIds };
  }

  async function readJson(file: string): Promise<{ json: Json; bytes: Buffer }> {
    const bytes = await readFile(path.join(dir, file));
    return { json: JSON.parse(bytes.toString("utf8")) as Json, bytes };
  }

  it(
    "2,500 annotations: a collection and 3 pages, linked, counted, checksummed and expandable",
    async () => {
      expect(PAGE_SIZE).toBe(1000);
      const { writer, annotationIds } = await writeN(2500);
      expect(writer.total).toBe(2500);
      expect((await readdir(path.join(dir, "annotations"))).sort()).toEqual(["collection.jsonld", "page-00001.jsonld", "page-00002.jsonld", "page-00003.jsonld"]);
      expect(writer.files.map((f) => [f.file, f.rows])).toEqual([
        ["annotations/collection.jsonld", 1],
        [pageFile(1), 1000],
        [pageFile(2), 1000],
        [pageFile(3), 500],
      ]);

      // Checksums and sizes are those of the files on disk.
      for (const f of writer.files) {
        const { bytes } = await readJson(f.file);
        expect(f.bytes, f.file).toBe(bytes.length);
        expect(f.sha256, f.file).toBe(createHash("sha256").update(bytes).digest("hex"));
      }

      // The collection.
      const { json: collection } = await readJson("annotations/collection.jsonld");
      expect(hasAnnoContext(collection)).toBe(true);
      expect(collection).toMatchObject({ id: COLLECTION, type: "AnnotationCollection", total: 2500, first: pageIri(1), last: pageIri(3) });
      expect(typeof collection.label).toBe("string");
      const [ec] = await expand(collection);
      expect(ec!["@id"]).toBe(COLLECTION);
      expect(types(ec!)).toEqual([`${AS}OrderedCollection`]);
      expect(only(ec!, `${AS}totalItems`)).toEqual({ "@type": `${XSD}nonNegativeInteger`, "@value": 2500 });
      expect(ids(ec!, `${AS}first`)).toEqual([pageIri(1)]);
      expect(ids(ec!, `${AS}last`)).toEqual([pageIri(3)]);
      expect(valueOf(ec!, `${RDFS}label`)).toBe("Study: research export");

      // The pages, in order: ids, links, start indexes, items.
      const seen: string[] = [];
      const expected = [
        { n: 1, startIndex: 0, items: 1000, prev: undefined, next: pageIri(2) },
        { n: 2, startIndex: 1000, items: 1000, prev: pageIri(1), next: pageIri(3) },
        { n: 3, startIndex: 2000, items: 500, prev: pageIri(2), next: undefined },
      ];
      for (const e of expected) {
        const { json: page } = await readJson(pageFile(e.n));
        expect(hasAnnoContext(page), pageFile(e.n)).toBe(true);
        expect(page.id).toBe(pageIri(e.n));
        expect(page.type).toBe("AnnotationPage");
        expect(page.partOf).toBe(COLLECTION);
        expect(page.startIndex).toBe(e.startIndex);
        expect(page.prev).toBe(e.prev);
        expect(page.next).toBe(e.next);
        const items = page.items as Json[];
        expect(items).toHaveLength(e.items);
        items.forEach((a, i) => {
          expect(a["@context"]).toBeUndefined(); // the page's context applies
          checkAnnotationMusts(a, `${pageFile(e.n)} item ${i}`);
          seen.push(a.id as string);
        });

        const [ep] = await expand(page);
        expect(types(ep!)).toEqual([`${AS}OrderedCollectionPage`]);
        expect(ids(ep!, `${AS}partOf`)).toEqual([COLLECTION]);
        expect(only(ep!, `${AS}startIndex`)).toEqual({ "@type": `${XSD}nonNegativeInteger`, "@value": e.startIndex });
        expect(ids(ep!, `${AS}next`)).toEqual(e.next ? [e.next] : []);
        expect(ids(ep!, `${AS}prev`)).toEqual(e.prev ? [e.prev] : []);
        const list = only(ep!, `${AS}items`)["@list"] as Json[];
        expect(list).toHaveLength(e.items);
        for (const a of list) {
          expect(types(a)).toContain(`${OA}Annotation`);
          expect(values(a, `${OA}hasTarget`).length).toBeGreaterThan(0);
          expect(values(a, `${OA}motivatedBy`)).toHaveLength(1);
        }
      }
      // Every annotation once, in the order written; ids unique.
      expect(seen).toEqual(annotationIds);
      expect(new Set(seen).size).toBe(2500);
    },
    120_000,
  );

  it("exactly PAGE_SIZE annotations: one page, with neither next nor prev", async () => {
    const { writer } = await writeN(PAGE_SIZE);
    expect(writer.files.map((f) => [f.file, f.rows])).toEqual([
      ["annotations/collection.jsonld", 1],
      [pageFile(1), PAGE_SIZE],
    ]);
    const { json: page } = await readJson(pageFile(1));
    expect(page.next).toBeUndefined();
    expect(page.prev).toBeUndefined();
    const { json: collection } = await readJson("annotations/collection.jsonld");
    expect(collection).toMatchObject({ total: PAGE_SIZE, first: pageIri(1), last: pageIri(1) });
  }, 60_000);

  it("PAGE_SIZE + 1 annotations: the second page holds one and the first links to it", async () => {
    const { writer } = await writeN(PAGE_SIZE + 1);
    expect(writer.files.map((f) => f.rows)).toEqual([1, PAGE_SIZE, 1]);
    const { json: first } = await readJson(pageFile(1));
    const { json: second } = await readJson(pageFile(2));
    expect(first.next).toBe(second.id);
    expect(second.prev).toBe(first.id);
    expect(second.next).toBeUndefined();
    expect(second.startIndex).toBe(PAGE_SIZE);
  }, 60_000);

  it("0 annotations: a collection with total 0, no first/last and no page files", async () => {
    const { writer } = await writeN(0);
    expect(writer.total).toBe(0);
    expect(writer.files.map((f) => [f.file, f.rows])).toEqual([["annotations/collection.jsonld", 1]]);
    expect(await readdir(path.join(dir, "annotations"))).toEqual(["collection.jsonld"]);
    const { json: collection } = await readJson("annotations/collection.jsonld");
    expect(hasAnnoContext(collection)).toBe(true);
    expect(collection.total).toBe(0);
    expect(collection).not.toHaveProperty("first");
    expect(collection).not.toHaveProperty("last");
    const [ec] = await expand(collection);
    expect(only(ec!, `${AS}totalItems`)["@value"]).toBe(0);
    expect(types(ec!)).toEqual([`${AS}OrderedCollection`]);
  });
});
