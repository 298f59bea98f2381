import { CONTEXT_CHARS } from "@/lib/annotations/selector";
import { doiUrl } from "@/lib/annotations/source-link";
import type { ContributionRow, ParagraphInfo, VersionRow } from "./source";
import { FileSink } from "./sink";
import { codePointOffset, quoteContext } from "./text-positions";

/**
 * W3C Web Annotation JSON-LD. Each contribution is an Annotation; an export's annotations form
 * one AnnotationCollection (annotations/collection.jsonld) whose AnnotationPages
 * (annotations/page-00001.jsonld, …) hold up to PAGE_SIZE annotations each, every file a complete
 * JSON-LD document. See docs/decisions/0011-export-jobs-and-formats.md and 0016-jsonld-paged-collections.md.
 *
 * Motivations: ANNOTATION → commenting; COUNTERPOINT → assessing (its body's purpose is assessing
 * too); SOURCE → linking (the URL is a SpecificResource body with purpose linking, the author's
 * note a TextualBody with purpose describing; an archived copy is the link's TimeState `cached`,
 * a DOI a further linking body at https://doi.org/<doi>); a reply → replying, targeting its parent.
 */

export const ANNO_CONTEXT_IRI = "http://www.w3.org/ns/anno.jsonld";
export const PAGE_SIZE = 1000;

/** The platform's own terms, for what the Web Annotation vocabulary has no word for. */
export function localContext(base: string) {
  const ns = `${base}/ns/discussion#`;
  return {
    discussion: ns,
    contributionKind: { "@id": "discussion:contributionKind" },
    moderationStatus: { "@id": "discussion:moderationStatus" },
    publiclyVisible: { "@id": "discussion:publiclyVisible", "@type": "xsd:boolean" },
    stance: { "@id": "discussion:stance" },
    sourceQuote: { "@id": "discussion:sourceQuote" },
    anchoringMethod: { "@id": "discussion:anchoringMethod" },
    anchoringScore: { "@id": "discussion:anchoringScore", "@type": "xsd:double" },
    anchoredSinceVersion: { "@id": "discussion:anchoredSinceVersion", "@type": "xsd:integer" },
    orphanedOn: { "@id": "discussion:orphanedOn" },
    title: { "@id": "dcterms:title" },
  };
}

export function contextFor(base: string): unknown[] {
  return [ANNO_CONTEXT_IRI, localContext(base)];
}

export interface JsonLdEnv {
  base: string;
  studyId: string;
  exportId: string;
  paragraphs: Map<string, ParagraphInfo>;
  versions: Map<string, VersionRow>;
  pseudonym: (userId: string | null) => string | null;
}

export const versionSourceIri = (base: string, v: { slug: string; version_number: number }) =>
  `${base}/articles/${encodeURIComponent(v.slug)}?version=${v.version_number}`;

export const pseudonymIri = (base: string, studyId: string, pseudonym: string) =>
  `${base}/research/studies/${studyId}/pseudonyms/${pseudonym}`;

export const collectionIri = (base: string, exportId: string) => `${base}/research/exports/${exportId}/annotations`;

export const pageFile = (n: number) => `annotations/page-${String(n).padStart(5, "0")}.jsonld`;

const MOTIVATION: Record<string, string> = { ANNOTATION: "commenting", COUNTERPOINT: "assessing", SOURCE: "linking" };

export function toAnnotation(c: ContributionRow, e: JsonLdEnv): Record<string, unknown> {
  const paragraph = e.paragraphs.get(c.paragraph_id);
  const version = e.versions.get(c.version_id);
  if (!paragraph || !version) throw new Error(`contribution ${c.id}: its paragraph or version is not in the export`);
  // From the paragraph, not c.quote_prefix/suffix: see quoteContext.
  const context = quoteContext(paragraph.text, c.start_utf16, c.end_utf16, CONTEXT_CHARS);

  const bodies: Record<string, unknown>[] = [];
  if (c.kind === "SOURCE" && c.source_url) {
    const link: Record<string, unknown> = { type: "SpecificResource", source: c.source_url, purpose: "linking" };
    if (c.source_title) link.title = c.source_title;
    // The archived copy: a TimeState's `cached` is "a copy of the Source resource's representation" (§4.2.5).
    if (c.source_archive_url) link.state = { type: "TimeState", cached: c.source_archive_url };
    bodies.push(link);
    const doi = c.source_doi ? doiUrl(c.source_doi) : null;
    if (doi) bodies.push({ type: "SpecificResource", source: doi, purpose: "linking" });
    if (c.body) bodies.push({ type: "TextualBody", value: c.body, format: "text/markdown", purpose: "describing" });
  } else {
    bodies.push({ type: "TextualBody", value: c.body, format: "text/markdown", purpose: c.parent_id ? "replying" : MOTIVATION[c.kind] });
  }

  const target = {
    type: "SpecificResource",
    source: versionSourceIri(e.base, version),
    selector: selectors(paragraph, c.start_utf16, c.end_utf16, c.quote_exact, c.anchor_id, context),
  };
  const targets: unknown[] = c.parent_id ? [`urn:uuid:${c.parent_id}`, target] : [target];

  // Re-anchored onto the article's latest version: that placement is a second target on it
  // (with how it was found); an orphan names the version it has no place on, and no selector.
  let orphanedOn: Record<string, unknown> | null = null;
  if (c.current_method && c.current_version_id) {
    const current = e.versions.get(c.current_version_id);
    if (!current) throw new Error(`contribution ${c.id}: its current version is not in the export`);
    const how = { anchoringMethod: c.current_method, anchoringScore: c.current_score, anchoredSinceVersion: c.current_since_version };
    const at = c.current_paragraph_id ? e.paragraphs.get(c.current_paragraph_id) : undefined;
    if (c.current_method === "orphaned" || !at) {
      orphanedOn = { type: "SpecificResource", source: versionSourceIri(e.base, current), ...how };
    } else {
      const s = c.current_start_utf16!;
      const t = c.current_end_utf16!;
      targets.push({
        type: "SpecificResource",
        source: versionSourceIri(e.base, current),
        selector: selectors(at, s, t, c.current_exact!, c.current_anchor_id!, quoteContext(at.text, s, t, CONTEXT_CHARS)),
        ...how,
      });
    }
  }

  const creator = e.pseudonym(c.author_id);
  const anno: Record<string, unknown> = {
    id: `urn:uuid:${c.id}`,
    type: "Annotation",
    motivation: c.parent_id ? "replying" : MOTIVATION[c.kind],
    created: c.created_at,
  };
  if (c.edited_at) anno.modified = c.edited_at;
  if (creator) anno.creator = { id: pseudonymIri(e.base, e.studyId, creator), type: "Person" };
  anno.body = bodies.length === 1 ? bodies[0] : bodies;
  anno.target = targets.length === 1 ? targets[0] : targets;
  if (orphanedOn) anno.orphanedOn = orphanedOn;
  anno.contributionKind = c.kind;
  anno.moderationStatus = c.status;
  anno.publiclyVisible = c.status === "PUBLISHED";
  if (c.stance) anno.stance = c.stance;
  if (c.source_quote) anno.sourceQuote = c.source_quote;
  return anno;
}

/** A placement's selectors: quote, position in the version's plain text, and paragraph anchor refined by position (code points). */
function selectors(paragraph: ParagraphInfo, startUtf16: number, endUtf16: number, exact: string, anchorId: string, context: { prefix: string; suffix: string }) {
  const start = codePointOffset(paragraph.text, startUtf16);
  const end = codePointOffset(paragraph.text, endUtf16);
  return [
    { type: "TextQuoteSelector", exact, prefix: context.prefix, suffix: context.suffix },
    { type: "TextPositionSelector", start: paragraph.version_text_start + start, end: paragraph.version_text_start + end },
    {
      type: "FragmentSelector",
      conformsTo: "http://tools.ietf.org/rfc/rfc3986",
      value: anchorId,
      refinedBy: { type: "TextPositionSelector", start, end },
    },
  ];
}

/**
 * Writes annotations into pages of PAGE_SIZE, holding one page in memory, then the collection.
 * A page is written once the next one has an item (or at the end), so `next` is always right.
 */
export class AnnotationPageWriter {
  private items: string[] = [];
  private page = 0;
  private startIndex = 0;
  total = 0;
  readonly files: { file: string; rows: number; sha256: string; bytes: number }[] = [];

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private readonly exportId: string,
    private readonly label: string,
  ) {}

  private pageIri(n: number) {
    return `${collectionIri(this.base, this.exportId)}/page-${n}`;
  }

  async add(annotation: Record<string, unknown>): Promise<void> {
    if (this.items.length === PAGE_SIZE) await this.flush(true);
    this.items.push(JSON.stringify(annotation));
    this.total++;
  }

  private async flush(hasNext: boolean): Promise<void> {
    this.page++;
    const n = this.page;
    const file = pageFile(n);
    const sink = new FileSink(`${this.dir}/${file}`);
    const head: Record<string, unknown> = {
      "@context": contextFor(this.base),
      id: this.pageIri(n),
      type: "AnnotationPage",
      partOf: collectionIri(this.base, this.exportId),
      startIndex: this.startIndex,
    };
    if (n > 1) head.prev = this.pageIri(n - 1);
    if (hasNext) head.next = this.pageIri(n + 1);
    const json = JSON.stringify(head);
    await sink.write(`${json.slice(0, -1)},"items":[\n`);
    for (let i = 0; i < this.items.length; i++) await sink.write(`${this.items[i]}${i < this.items.length - 1 ? "," : ""}\n`);
    await sink.write("]}\n");
    const done = await sink.close();
    this.files.push({ file, rows: this.items.length, ...done });
    this.startIndex += this.items.length;
    this.items = [];
  }

  /** Flushes the last page and writes the collection document. */
  async close(): Promise<void> {
    if (this.items.length > 0) await this.flush(false);
    const collection: Record<string, unknown> = {
      "@context": contextFor(this.base),
      id: collectionIri(this.base, this.exportId),
      type: "AnnotationCollection",
      label: this.label,
      total: this.total,
    };
    if (this.page > 0) {
      collection.first = this.pageIri(1);
      collection.last = this.pageIri(this.page);
    }
    const file = "annotations/collection.jsonld";
    const sink = new FileSink(`${this.dir}/${file}`);
    await sink.write(JSON.stringify(collection, null, 2) + "\n");
    this.files.unshift({ file, rows: 1, ...(await sink.close()) });
  }
}
