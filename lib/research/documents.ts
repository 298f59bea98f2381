import type { Manifest } from "./bundle";
import { LIST_SEPARATOR } from "./csv";
import { PAGE_SIZE } from "./jsonld";
import type { ExportFormatName } from "./schemas";
import { SCHEMA_VERSION, TABLES } from "./tables";

/** data-dictionary.md and README.md, the two documents every bundle carries. */

const TYPE_TEXT: Record<string, string> = {
  uuid: "UUID (text)",
  text: "text (UTF-8)",
  integer: "integer",
  number: "number (decimal, double precision)",
  boolean: "boolean (true/false)",
  timestamp: "timestamp (UTC, ISO 8601)",
  enum: "one of a fixed set",
  list: `list of values from a fixed set (CSV: joined by \`${LIST_SEPARATOR}\`; JSON: an array)`,
  url: "URL / IRI",
  pseudonym: "pseudonym (32 hex characters)",
};

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

/** `formulaGuard`: whether the CSV text was guarded (the export's spreadsheetSafe option). */
export function dataDictionary(format: ExportFormatName, opts: { formulaGuard: boolean }): string {
  const lines: string[] = [
    `# Data dictionary (schema ${SCHEMA_VERSION})`,
    "",
    "Every table of a research export, every column: its name, type, whether it can be empty, what it means and which values it allows.",
    "",
    "## How the files are written",
    "",
  ];
  if (format === "csv") {
    lines.push(
      "- One CSV file per table (RFC 4180): UTF-8 without a byte-order mark, a header row, CRLF line ends, fields in double quotes when they contain a comma, a quote, CR or LF, quotes doubled.",
      "- An empty field is a missing value (null); an empty text is written `\"\"`.",
      opts.formulaGuard
        ? "- **Formula guard: applied** (this export asked to be spreadsheet-safe). A *text* value that begins with `=`, `+`, `-`, `@`, a tab, a carriage return or `'` is written with one extra `'` in front, so spreadsheets show it as text instead of running it as a formula. To recover the exact original, remove one leading `'` from every text value that starts with `'`. Columns of other types are never changed. (manifest.json: `csvFormulaGuard: true`.)"
        : "- **Formula guard: not applied.** Every value is exactly as written: a text beginning with `=`, `+`, `-` or `@` is not changed, so opening the files directly in a spreadsheet may run such a cell as a formula. Read them with a CSV parser, or import them as text; or ask for a spreadsheet-safe export, which adds one `'` in front of such text values. (manifest.json: `csvFormulaGuard: false`.)",
      `- A *list* value (ratings.tags) is its items joined by \`${LIST_SEPARATOR}\` without spaces; an empty list is \`""\`.`,
      "- Booleans are `true` / `false`.",
    );
  } else {
    lines.push(
      "- One JSON object per line per table (JSON Lines, UTF-8), with the column names below as keys, in this order. Missing values are `null`; a *list* value (ratings.tags) is an array of strings; text is exactly as written.",
    );
    if (format === "jsonld") {
      lines.push(
        `- Contributions are W3C Web Annotations (JSON-LD) instead of a table: \`annotations/collection.jsonld\` is an AnnotationCollection; \`annotations/page-00001.jsonld\` and on are its AnnotationPages of up to ${PAGE_SIZE} annotations each, every file a complete JSON-LD document.`,
        "- Annotation `id` is `urn:uuid:<contribution_id>`. `motivation`: ANNOTATION → `commenting`, COUNTERPOINT → `assessing` (body purpose `assessing`), SOURCE → `linking` (the URL as a SpecificResource body with purpose `linking`; the author's note as a TextualBody with purpose `describing`), replies → `replying`.",
        "- A SOURCE's archived copy (source_archive_url) is the link body's `state`: a TimeState whose `cached` is the copy's address. Its DOI is a further SpecificResource body with purpose `linking` whose `source` is `https://doi.org/<doi>`. The passage quoted from the source (source_quote) is `sourceQuote`, a platform term; the domain is the URL's host and not repeated.",
        "- The other tables (anchor_events, contribution_revisions, ratings, contribution_scores, scoring_runs and, when asked for, moderation_events and flags) are JSON Lines files as described above.",
        "- Every TextualBody has `format` `text/markdown`: its `value` is the Markdown source exactly as the author wrote it, unrendered.",
        "- `target.source` is the IRI of the article version the contribution was written on (article_versions.source_iri, `<article url>?version=<n>`). Its selectors: a TextQuoteSelector; a TextPositionSelector in code points of the version's plain text; and a FragmentSelector naming the paragraph anchor, refined by a TextPositionSelector in code points of the paragraph.",
        "- Written on an older version and re-anchored onto the article's latest one (anchor_events): `target` is an array whose last item is its placement on the latest version — a SpecificResource whose `source` is that version's IRI, with the same three selectors, plus `anchoringMethod` (`exact` or `fuzzy`), `anchoringScore` (0–1) and `anchoredSinceVersion` (anchor_events.method, score, since_version). An orphan on the latest version has no such target and no selector there: instead the annotation's `orphanedOn` names that version (`source`) with `anchoringMethod` `orphaned`, its score and the version it was lost in. A contribution written on the latest version has neither.",
        "- `creator.id` is the pseudonym as an IRI ending in the pseudonym. `contributionKind`, `moderationStatus`, `publiclyVisible`, `stance`, `sourceQuote`, `anchoringMethod`, `anchoringScore`, `anchoredSinceVersion` and `orphanedOn` are this platform's terms (defined in each document's context).",
        "- The context `http://www.w3.org/ns/anno.jsonld` is the W3C's; a copy ships with the software, so no network access is needed to expand the documents.",
      );
    }
  }
  lines.push(
    "- Positions: `start`/`end` count Unicode code points (as the W3C Web Annotation model requires); `start_utf16`/`end_utf16` count UTF-16 code units (what JavaScript counts). A version's plain text is its paragraphs in order, joined by two line feeds.",
    "",
  );
  for (const t of TABLES) {
    lines.push(`## ${t.name}${t.moderationOnly ? " (with moderation events only)" : ""}`, "", t.meaning, "");
    if (format === "jsonld" && t.name === "contributions") {
      lines.push("In this format the contributions are the annotations in `annotations/`; the columns below name the same facts.", "");
    }
    lines.push("| column | type | empty? | meaning | allowed values |", "|---|---|---|---|---|");
    for (const c of t.columns) {
      lines.push(
        `| \`${c.name}\` | ${TYPE_TEXT[c.type]} | ${c.nullable ? "may be empty" : "never"} | ${cell(c.meaning)} | ${c.allowed ? c.allowed.map((a) => `\`${a}\``).join(", ") : ""} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** What the README needs: the manifest's own fields (it is written before the manifest is final). */
type ReadmeInput = Pick<Manifest, "exportId" | "generatedAt" | "software" | "schemaVersion" | "format" | "study" | "filters" | "files" | "csvFormulaGuard"> & {
  counts: Pick<
    Manifest["counts"],
    "contributions" | "optedOutExcluded" | "contributionRevisions" | "ratings" | "ratingsOptedOutExcluded" | "contributionScores" | "scoringRuns"
  > &
    Partial<Pick<Manifest["counts"], "anchorEvents">>;
  pseudonymisation: Pick<Manifest["pseudonymisation"], "keyFingerprint">;
};

export function recipientReadme(m: ReadmeInput): string {
  const f = m.filters;
  const day = m.generatedAt.slice(0, 10);
  return [
    `# Research export ${m.exportId}`,
    "",
    `Study: **${m.study.name}**. Generated ${m.generatedAt} by ${m.software.name} ${m.software.version} (schema ${m.schemaVersion}), format ${m.format}.`,
    "",
    "## What is in it",
    "",
    `- ${m.counts.contributions} contributions (annotations, counterpoints, source links) with the exact paragraphs they were written on.`,
    `- ${m.counts.optedOutExcluded} contributions were left out because their authors opted out of research exports. Deleted contributions are never exported.`,
    `- Their edit history (${m.counts.contributionRevisions} revisions: the text as posted and after every edit), ${m.counts.ratings} ratings by readers, and the platform's helpfulness scores (${m.counts.contributionScores} scores from ${m.counts.scoringRuns} scoring runs).`,
    ...(m.counts.anchorEvents === undefined
      ? []
      : [`- ${m.counts.anchorEvents} anchor events: where a contribution was placed (exactly, approximately, or not at all) each time its article was revised after it was written.`]),
    `- ${m.counts.ratingsOptedOutExcluded} ratings were left out because their raters opted out of research exports.`,
    m.format === "csv"
      ? m.csvFormulaGuard
        ? "- CSV is spreadsheet-safe: text starting with = + - @ tab CR or ' has one extra ' in front (data-dictionary.md says how to undo it)."
        : "- CSV text is exactly as written (no formula guard): read it with a CSV parser or import it as text rather than opening it straight in a spreadsheet."
      : "- Text is exactly as written.",
    `- Filters: articles ${f.articles.length ? f.articles.join(", ") : "all"}; created ${f.from ?? "any time"} to ${f.to ?? "now"} (UTC days, inclusive); kinds ${f.kinds.join(", ")}; statuses ${f.statuses.join(", ")}; moderation events ${f.includeModeration ? "included" : "not included"}; spreadsheet-safe ${f.spreadsheetSafe ? "yes" : "no"}.`,
    "- `data-dictionary.md` describes every file and column. `manifest.json` lists every file with its row count, size and sha256, the filters, the counts and the pseudonymisation key's fingerprint.",
    "",
    "## Privacy",
    "",
    "No names, email addresses, IP addresses or password data are in this bundle. People appear only as pseudonyms: HMAC-SHA256 of their account id under a key that belongs to this study and never leaves the server.",
    "The same study gives a person the same pseudonym in every export; pseudonyms of different studies cannot be linked. Do not try to re-identify people, and share the data only as your ethics approval allows.",
    "",
    "## Verify it",
    "",
    "Every file's sha256 is in `SHA256SUMS` (and in `manifest.json`). In the unzipped folder run:",
    "",
    "```",
    "sha256sum -c SHA256SUMS          # Linux",
    "shasum -a 256 -c SHA256SUMS      # macOS",
    "```",
    "",
    "Every line must end in `OK`. Two bundles of the same study are comparable if their manifests show the same `pseudonymisation.keyFingerprint`.",
    "",
    "## Cite it",
    "",
    `> ${m.study.name}. Research export ${m.exportId} (schema ${m.schemaVersion}), generated ${day} with ${m.software.name} ${m.software.version}.`,
    "",
    "Quote the bundle's sha256 (shown where it was downloaded) with the citation so others can check they have the same data.",
    "",
  ].join("\n");
}
