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
import {
  countRows,
  loadParagraphs,
  loadVersions,
  resolveArticles,
  streamContributions,
  streamFlags,
  streamModerationEvents,
  type Counts,
  type ParagraphInfo,
  type VersionRow,
} from "./source";
import { tableWriter, type TableWriter } from "./table-writer";
import { SCHEMA_VERSION, tableDef, type TableName } from "./tables";
import { CONTEXT_CHARS } from "@/lib/annotations/selector";
import { codePointOffset, quoteContext } from "./text-positions";
import { publicBaseUrl, softwareInfo } from "./config";

/**
 * Writes one export bundle: the tables (CSV, JSONL or JSON-LD annotations plus JSONL tables),
 * data-dictionary.md, README.md, manifest.json and SHA256SUMS, zipped into <dir>/<exportId>.zip.
 * Rows stream from the database in keyset-paged batches; files are hashed as they are written.
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

export async function writeBundle(req: BundleRequest, dir: string, onProgress: ProgressFn): Promise<BundleResult> {
  const work = path.join(/*turbopackIgnore: true*/ dir, `tmp-${req.exportId}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(path.join(/*turbopackIgnore: true*/ work, "annotations"), { recursive: true });
  try {
    const written = await withReadSnapshot((conn, snapshot) => writeTables(conn, snapshot, req, work, onProgress));
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
    articles.rows.length + versions.length + paragraphs.length + counts.contributions + counts.moderationEvents + counts.flags;

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
    const w = tableWriter(tableFormat, tableDef(name), work);
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
    const paraCount = new Map<string, number>();
    const textLength = new Map<string, number>();
    for (const p of paragraphs) {
      paraCount.set(p.version_id, (paraCount.get(p.version_id) ?? 0) + 1);
      textLength.set(p.version_id, p.version_text_start + p.length);
    }

    const wa = writer("articles");
    for (const a of articles.rows) {
      await wa.write([a.article_id, a.slug, a.title, a.publisher, a.moderation_policy, `${base}/articles/${encodeURIComponent(a.slug)}`]);
    }
    await finish(wa);
    const wv = writer("article_versions");
    for (const v of versions) {
      await wv.write([
        v.version_id,
        v.article_id,
        v.version_number,
        v.title,
        v.content_sha256,
        paraCount.get(v.version_id) ?? 0,
        textLength.get(v.version_id) ?? 0,
        v.created_at,
        versionSourceIri(base, v),
      ]);
    }
    await finish(wv);
    const wp = writer("paragraphs");
    for (const p of paragraphs) {
      await wp.write([p.paragraph_id, p.version_id, p.position, p.anchor_id, p.text, p.length, p.version_text_start]);
    }
    await finish(wp);
    await progress(articles.rows.length + versions.length + paragraphs.length, true);

    // Contributions.
    if (req.format === "jsonld") {
      const pages = new AnnotationPageWriter(work, base, req.exportId, `${req.study.name}: research export ${req.exportId}`);
      const env: JsonLdEnv = { base, studyId: req.study.id, exportId: req.exportId, paragraphs: paragraphsById, versions: versionsById, pseudonym };
      for await (const batch of streamContributions(conn, f, articleIds)) {
        for (const c of batch) await pages.add(toAnnotation(c, env));
        await progress(batch.length);
      }
      await pages.close();
      for (const p of pages.files) {
        files.push({ path: p.file, mediaType: MEDIA.jsonld!, rows: p.rows, sha256: p.sha256, bytes: p.bytes });
      }
    } else {
      const wc = writer("contributions");
      for await (const batch of streamContributions(conn, f, articleIds)) {
        for (const c of batch) {
          const para = paragraphsById.get(c.paragraph_id);
          // Without surrogate pairs, code-point offsets are the UTF-16 ones (what codePointOffset returns).
          const plain = para === undefined || para.length === para.text.length;
          // A paragraph without surrogate pairs cannot have had a character cut in half.
          const context = plain ? { prefix: c.quote_prefix, suffix: c.quote_suffix } : quoteContext(para.text, c.start_utf16, c.end_utf16, CONTEXT_CHARS);
          const row: CsvValue[] = [
            c.id,
            c.article_id,
            c.version_id,
            c.paragraph_id,
            c.anchor_id,
            c.kind,
            c.status,
            c.status === "PUBLISHED",
            pseudonym(c.author_id),
            c.body,
            c.source_url,
            c.source_title,
            c.stance,
            c.quote_exact,
            context.prefix,
            context.suffix,
            plain ? c.start_utf16 : codePointOffset(para.text, c.start_utf16),
            plain ? c.end_utf16 : codePointOffset(para.text, c.end_utf16),
            c.start_utf16,
            c.end_utf16,
            c.whole_paragraph,
            c.parent_id,
            c.created_at,
            c.edited_at,
          ];
          await wc.write(row);
        }
        await progress(batch.length);
      }
      await finish(wc);
    }

    if (f.includeModeration) {
      const we = writer("moderation_events");
      for await (const batch of streamModerationEvents(conn, f, articleIds)) {
        for (const e of batch) {
          const person = e.actor_id !== null;
          const privateNote = e.action === "FLAG" || e.action === "APPEAL";
          await we.write([
            e.id,
            e.contribution_id,
            e.action,
            person && !e.actor_opted_out ? pseudonym(e.actor_id) : null,
            person ? "PERSON" : "SYSTEM",
            e.from_status,
            e.to_status,
            privateNote ? null : e.reason,
            e.created_at,
          ]);
        }
        await progress(batch.length);
      }
      await finish(we);
      const wf = writer("flags");
      for await (const batch of streamFlags(conn, f, articleIds)) {
        for (const g of batch) {
          await wf.write([
            g.id,
            g.contribution_id,
            g.reporter_opted_out ? null : pseudonym(g.reporter_id),
            g.reason,
            g.status,
            g.created_at,
            g.resolved_at,
          ]);
        }
        await progress(batch.length);
      }
      await finish(wf);
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
    ["data-dictionary.md", dataDictionary(req.format)],
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

