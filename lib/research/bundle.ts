import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import yazl from "yazl";
import { withReadSnapshot } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import type { CsvValue } from "./csv";
import { dataDictionary, recipientReadme } from "./documents";
import { AnnotationPageWriter, toAnnotation, versionSourceIri, type JsonLdEnv } from "./jsonld";
import { keyFingerprint, PSEUDONYM_METHOD, pseudonymizer } from "./pseudonym";
import type { ExportFilters, ExportFormatName } from "./schemas";
import { FileSink } from "./sink";
import type { SqlConnection } from "@/lib/db/sql";
import { sqlContext } from "./sql-format";
import {
  copyFormatted,
  countRows,
  formattedCopy,
  loadParagraphs,
  loadVersions,
  resolveArticles,
  streamContributions,
  streamContributionsWithCurrentPlacement,
  streamedTables,
  streamTable,
  type Counts,
  type ParagraphInfo,
  type VersionRow,
} from "./source";
import { tableWriter, type TableWriter } from "./table-writer";
import { SCHEMA_VERSION, tableDef, type RowContext, type TableDef, type TableName } from "./tables";
import { publicBaseUrl, softwareInfo } from "./config";

/**
 * Writes one export bundle: the tables (CSV, JSONL or JSON-LD annotations plus JSONL tables),
 * data-dictionary.md, README.md, manifest.json and SHA256SUMS, zipped into <dir>/<exportId>.zip.
 * Rows stream from the database (on a PostgreSQL server, formatted by COPY itself where the table
 * allows: sql-format.ts; otherwise row by row through the columns' value()); files are hashed as
 * they are written.
 * The CLI, the web UI and the API all end up here.
 */

export interface BundleRequest {
  exportId: string;
  requestedAt: Date;
  study: { id: string; name: string; key: Uint8Array };
  format: ExportFormatName;
  filters: ExportFilters;
  /** How the export was asked for, and the role of who asked (never their identity). */
  requestedVia: "web" | "api" | "cli";
  requesterRole: string | null;
}

export interface ManifestFile {
  path: string;
  mediaType: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  exportId: string;
  requestedAt: string;
  generatedAt: string;
  software: { name: string; version: string };
  schemaVersion: string;
  format: ExportFormatName;
  study: { id: string; name: string };
  filters: ExportFilters;
  requestedVia: string;
  requesterRole: string | null;
  consistentSnapshot: boolean;
  /**
   * Whether CSV text values were guarded against formulas (the spreadsheetSafe option; CSV only):
   * then one leading `'` was added to those starting with = + - @ tab CR or '.
   */
  csvFormulaGuard: boolean;
  counts: Counts & { articles: number; articleVersions: number; paragraphs: number };
  pseudonymisation: { method: string; keyFingerprint: string; note: string };
  textPositions: string;
  files: ManifestFile[];
}

export interface BundleResult {
  zipPath: string;
  sha256: string;
  bytes: number;
  manifest: Manifest;
  rowsWritten: number;
  rowsTotal: number;
}

export type ProgressFn = (written: number, total: number) => Promise<void>;

const MEDIA: Record<string, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  jsonl: "application/jsonl; charset=utf-8",
  jsonld: "application/ld+json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

/**
 * `sqlFormatting: false` writes every table through the JavaScript path even on a PostgreSQL
 * server (tests/integration/research-sql-format.test.ts compares the two); the default lets
 * PostgreSQL format the streamed tables' rows where it can (sql-format.ts).
 */
export async function writeBundle(req: BundleRequest, dir: string, onProgress: ProgressFn, opts: { sqlFormatting?: boolean } = {}): Promise<BundleResult> {
  const work = path.join(/*turbopackIgnore: true*/ dir, `tmp-${req.exportId}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(path.join(/*turbopackIgnore: true*/ work, "annotations"), { recursive: true });
  try {
    const written = await withReadSnapshot((conn, snapshot) => writeTables(conn, snapshot, req, work, onProgress, opts.sqlFormatting ?? true));
    const zipPath = path.join(/*turbopackIgnore: true*/ dir, `${req.exportId}.zip`);
    const { sha256, bytes } = await zipFiles(work, [...written.files.map((f) => f.path), "manifest.json", "SHA256SUMS"], zipPath);
    return { zipPath, sha256, bytes, manifest: written.manifest, rowsWritten: written.rowsWritten, rowsTotal: written.rowsTotal };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeTables(
  conn: Parameters<Parameters<typeof withReadSnapshot>[0]>[0],
  snapshot: boolean,
  req: BundleRequest,
  work: string,
  onProgress: ProgressFn,
  sqlFormatting: boolean,
): Promise<{ files: ManifestFile[]; manifest: Manifest; rowsWritten: number; rowsTotal: number }> {
  const f = req.filters;
  const base = publicBaseUrl();
  const tableFormat = req.format === "csv" ? "csv" : "jsonl";
  const pseudonym = pseudonymizer(req.study.key);

  const articles = await resolveArticles(conn, f.articles);
  if (articles.unknown.length) throw new AppError("validation", `Unknown article: ${articles.unknown.join(", ")}`);
  const articleIds = articles.rows.map((a) => a.article_id);
  const versions = await loadVersions(conn, articleIds);
  const paragraphs = await loadParagraphs(conn, versions.map((v) => v.version_id));
  const counts = await countRows(conn, f, articleIds);
  const rowsTotal =
    articles.rows.length +
    versions.length +
    paragraphs.length +
    counts.contributions +
    counts.contributionRevisions +
    counts.anchorEvents +
    counts.ratings +
    counts.contributionScores +
    counts.scoringRuns +
    counts.moderationEvents +
    counts.flags;
  const formulaGuard = req.format === "csv" && f.spreadsheetSafe;

  let rowsWritten = 0;
  let lastReport = 0;
  const progress = async (n: number, force = false) => {
    rowsWritten += n;
    const now = Date.now();
    if (force || now - lastReport >= 500) {
      lastReport = now;
      await onProgress(rowsWritten, rowsTotal);
    }
  };
  await onProgress(0, rowsTotal);

  const files: ManifestFile[] = [];
  const open: TableWriter[] = [];
  const writer = (name: TableName) => {
    const w = tableWriter(tableFormat, tableDef(name), work, { formulaGuard });
    open.push(w);
    return w;
  };
  const finish = async (w: TableWriter) => {
    const done = await w.close();
    open.splice(open.indexOf(w), 1);
    files.push({ path: w.file, mediaType: MEDIA[tableFormat]!, rows: w.rows, ...done });
  };

  try {
    // Articles, versions and paragraphs: the exact text that was annotated.
    const versionsById = new Map<string, VersionRow>(versions.map((v) => [v.version_id, v]));
    const paragraphsById = new Map<string, ParagraphInfo>(paragraphs.map((p) => [p.paragraph_id, p]));
    const versionStats = new Map<string, { paragraphs: number; textLength: number }>();
    for (const p of paragraphs) {
      const s = versionStats.get(p.version_id) ?? { paragraphs: 0, textLength: 0 };
      versionStats.set(p.version_id, { paragraphs: s.paragraphs + 1, textLength: p.version_text_start + p.length });
    }
    const x: RowContext = { base, pseudonym, paragraphs: paragraphsById, versionStats };

    /** Writes `rows` into `name`'s file, each row's values as its columns say (tables.ts). */
    const writeAll = async (name: TableName, rows: Iterable<unknown> | AsyncIterable<unknown[]>, streamed: boolean) => {
      const w = writer(name);
      const values = rowValues(w.table, x);
      if (streamed) {
        for await (const batch of rows as AsyncIterable<unknown[]>) {
          for (const r of batch) await w.write(values(r));
          await progress(batch.length);
        }
      } else {
        for (const r of rows as Iterable<unknown>) await w.write(values(r));
      }
      await finish(w);
    };

    // On a PostgreSQL server, the streamed tables' rows come formatted by COPY, byte for byte what
    // the JavaScript path writes (sql-format.ts; docs/decisions/0048): the key the SQL uses is the
    // study's stored one, so only when that is the key asked for.
    const sql =
      sqlFormatting && conn.copyOut && (await storedKeyIs(conn, req.study.id, req.study.key))
        ? sqlContext(paragraphs.filter((p) => p.length !== p.text.length).map((p) => p.paragraph_id))
        : null;
    const writeStreamed = async (t: TableDef, rows: () => AsyncIterable<unknown[]>) => {
      const statement = sql ? formattedCopy(t, f, articleIds, { format: tableFormat, studyId: req.study.id, formulaGuard, sql }) : null;
      if (!statement) return writeAll(t.name, rows(), true);
      const w = writer(t.name);
      let pending = 0;
      await copyFormatted(conn, statement, tableFormat, (chunk, start, end) => {
        const wait = w.writeFormatted(chunk, start, end);
        if (++pending < 1000) return wait;
        pending = 0;
        const reported = progress(1000);
        return wait ? Promise.all([wait, reported]).then(() => undefined) : reported;
      });
      await progress(pending);
      await finish(w);
    };

    await writeAll("articles", articles.rows, false);
    await writeAll("article_versions", versions, false);
    await writeAll("paragraphs", paragraphs, false);
    await progress(articles.rows.length + versions.length + paragraphs.length, true);

    // Contributions, then the other streamed tables (each over the same selected contributions).
    if (req.format === "jsonld") {
      const pages = new AnnotationPageWriter(work, base, req.exportId, `${req.study.name}: research export ${req.exportId}`);
      const env: JsonLdEnv = { base, studyId: req.study.id, exportId: req.exportId, paragraphs: paragraphsById, versions: versionsById, pseudonym };
      for await (const batch of streamContributionsWithCurrentPlacement(conn, f, articleIds)) {
        for (const c of batch) await pages.add(toAnnotation(c, env));
        await progress(batch.length);
      }
      await pages.close();
      for (const p of pages.files) {
        files.push({ path: p.file, mediaType: MEDIA.jsonld!, rows: p.rows, sha256: p.sha256, bytes: p.bytes });
      }
    } else {
      await writeStreamed(tableDef("contributions"), () => streamContributions(conn, f, articleIds));
    }

    for (const t of streamedTables(f)) {
      if (t.name !== "contributions") await writeStreamed(t, () => streamTable(conn, t as TableDef<object>, f, articleIds));
    }
    await progress(0, true);
  } catch (err) {
    for (const w of open) w.destroy();
    throw err;
  }

  // The documents that travel with the data.
  const manifestBase = {
    exportId: req.exportId,
    requestedAt: req.requestedAt.toISOString(),
    generatedAt: new Date().toISOString(),
    software: softwareInfo(),
    schemaVersion: SCHEMA_VERSION,
    format: req.format,
    study: { id: req.study.id, name: req.study.name },
    filters: f,
    requestedVia: req.requestedVia,
    requesterRole: req.requesterRole,
    consistentSnapshot: snapshot,
    csvFormulaGuard: formulaGuard,
    counts: { ...counts, articles: articles.rows.length, articleVersions: versions.length, paragraphs: paragraphs.length },
    pseudonymisation: {
      method: PSEUDONYM_METHOD,
      keyFingerprint: keyFingerprint(req.study.key),
      note: "The same study gives a person the same pseudonym in every export; the key stays on the server and is never exported.",
    },
    textPositions:
      "start/end and TextPositionSelector count Unicode code points; start_utf16/end_utf16 count UTF-16 code units. A version's plain text is its paragraphs in order joined by two line feeds.",
  };
  for (const [name, text] of [
    ["data-dictionary.md", dataDictionary(req.format, { formulaGuard })],
    ["README.md", recipientReadme({ ...manifestBase, files })],
  ] as const) {
    const sink = new FileSink(path.join(/*turbopackIgnore: true*/ work, name));
    await sink.write(text);
    files.push({ path: name, mediaType: MEDIA.md!, rows: null, ...(await sink.close()) });
  }
  const manifest: Manifest = { ...manifestBase, files };
  const manifestSink = new FileSink(path.join(/*turbopackIgnore: true*/ work, "manifest.json"));
  await manifestSink.write(JSON.stringify(manifest, null, 2) + "\n");
  const manifestDone = await manifestSink.close();
  const sums = [...files.map((x) => `${x.sha256}  ${x.path}`), `${manifestDone.sha256}  manifest.json`].join("\n") + "\n";
  const sumsSink = new FileSink(path.join(/*turbopackIgnore: true*/ work, "SHA256SUMS"));
  await sumsSink.write(sums);
  await sumsSink.close();
  return { files, manifest, rowsWritten, rowsTotal };
}

/** Whether the study's key stored in the database is `key` (what the SQL-formatted rows' pseudonyms use). */
async function storedKeyIs(conn: SqlConnection, studyId: string, key: Uint8Array): Promise<boolean> {
  const [row] = await conn.query<{ key: Uint8Array }>(`SELECT "pseudonymKey" AS key FROM "ResearchStudy" WHERE id = $1::uuid`, [studyId]);
  return row !== undefined && Buffer.from(row.key).equals(Buffer.from(key));
}

/** A function from a row to the values of `table`'s columns, in order: the row's field, or the column's value(). */
function rowValues(table: TableDef, x: RowContext): (row: unknown) => CsvValue[] {
  const get = table.columns.map((c): ((row: unknown) => CsvValue) => {
    if (c.value) return (row) => c.value!(row, x);
    const key = c.field ?? c.name;
    return (row) => (row as Record<string, CsvValue>)[key]!;
  });
  const n = get.length;
  return (row) => {
    const out = new Array<CsvValue>(n);
    for (let i = 0; i < n; i++) out[i] = get[i]!(row);
    return out;
  };
}

/** Zips the files (deflate, zip64 when needed) into `out`, hashing the zip as it is written. */
async function zipFiles(dir: string, names: string[], out: string): Promise<{ sha256: string; bytes: number }> {
  const zip = new yazl.ZipFile();
  const mtime = new Date();
  for (const name of names) zip.addFile(path.join(/*turbopackIgnore: true*/ dir, name), name, { mtime, compress: true });
  zip.end();
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(zip.outputStream, tap, createWriteStream(out));
  return { sha256: hash.digest("hex"), bytes };
}

/** Streams a finished bundle (the download route). */
export function openBundle(zipPath: string) {
  return createReadStream(zipPath);
}

