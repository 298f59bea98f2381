import path from "node:path";
import { readArticles } from "@/lib/content/load-content";
import { withSql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import type { SqlConnection } from "@/lib/db/sql";
import { AppError, fieldError } from "@/lib/http/errors";
import { writeBundle, type BundleResult } from "./bundle";
import { exportDir, retentionMs } from "./config";
import { FORMAT_TO_DB } from "./export-job";
import { keyFingerprint, newStudyKey } from "./pseudonym";
import { exportFiltersSchema, type ExportFilters, type ExportFormatName } from "./schemas";

/**
 * The operator's export (`npm run export`) without the Prisma client: the same job row, bundle
 * (writeBundle) and audit-log entry as createExport(null, …, "cli", { runHere }) + runExport, written
 * with raw SQL over one connection. Prisma's query compiler (WebAssembly) and the client's first
 * queries cost the process ~70 MB before the first row is exported (docs/perf.md, "Research export
 * at scale"); the export itself never needed them. The app's worker keeps the Prisma path
 * (lib/research/export-worker.ts); tests/integration/research-cli-export.test.ts checks that both
 * leave the same job, audit entry and table files. docs/decisions/0045-compiled-export-cli.md.
 */

export interface OperatorExportResult {
  id: string;
  status: "SUCCEEDED" | "FAILED";
  studyId: string;
  studyCreated: boolean;
  rowsWritten: number;
  optedOutExcluded: number | null;
  bundle: { bytes: number; sha256: string } | null;
  error: string | null;
}

/** The schema migrated, with raw SQL (what getDb() does first, minus the client). */
export async function migrateRaw(): Promise<string[]> {
  return (await withSql((conn) => migrate(conn))).applied;
}

/**
 * Whether every article file in content/ is already loaded as its article's latest version (or
 * is skipped because an admin added that slug): then the export need not start the loader, which
 * runs on Prisma. Otherwise the caller loads content/ as the app does at start (prepareDatabase).
 */
export async function contentLoaded(): Promise<boolean> {
  const files = await readArticles();
  if (files.length === 0) return true;
  const rows = await withSql((conn) =>
    conn.query<{ slug: string; origin: string; hash: string | null }>(
      `SELECT a.slug, a.origin::text AS origin,
              (SELECT v."contentHash" FROM "ArticleVersion" v WHERE v."articleId" = a.id ORDER BY v.number DESC LIMIT 1) AS hash
         FROM "Article" a WHERE a.slug = ANY($1::text[])`,
      [files.map((f) => f.slug)],
    ),
  );
  const bySlug = new Map(rows.map((r) => [r.slug, r]));
  return files.every((f) => {
    const r = bySlug.get(f.slug);
    return r !== undefined && (r.origin !== "FILE" || r.hash === f.contentHash);
  });
}

/** The operator study of that name (no owner), found or made, as operatorStudy() does. */
async function operatorStudyRaw(conn: SqlConnection, name: string): Promise<{ id: string; name: string; key: Uint8Array; created: boolean }> {
  await conn.exec("BEGIN");
  try {
    // NULL owners are distinct for the unique index, so serialise find-or-create on the same lock.
    await conn.query("SELECT pg_advisory_xact_lock(72707370)");
    const found = await conn.query<{ id: string; key: Uint8Array }>(
      `SELECT id::text, "pseudonymKey" AS key FROM "ResearchStudy" WHERE "ownerId" IS NULL AND name = $1 ORDER BY "createdAt", id LIMIT 1`,
      [name],
    );
    let out: { id: string; name: string; key: Uint8Array; created: boolean };
    if (found[0]) {
      out = { id: found[0].id, name, key: new Uint8Array(found[0].key), created: false };
    } else {
      const key = newStudyKey();
      const [s] = await conn.query<{ id: string }>(
        `INSERT INTO "ResearchStudy" (id, "ownerId", name, "pseudonymKey", "keyFingerprint") VALUES (gen_random_uuid(), NULL, $1, $2, $3) RETURNING id::text`,
        [name, Buffer.from(key), keyFingerprint(key)],
      );
      out = { id: s!.id, name, key, created: true };
    }
    await conn.exec("COMMIT");
    return out;
  } catch (err) {
    await conn.exec("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

/** One audit-log entry, as appendLog writes it for an actor-less EXPORT (no role, no contribution). */
async function logExport(conn: SqlConnection, reason: string, details: Record<string, unknown>): Promise<void> {
  await conn.query(
    `INSERT INTO "ModerationLog" (id, "createdAt", "actorId", "actorRole", action, "contributionId", "targetUserId", "fromStatus", "toStatus", reason, details, "contributionVersion")
     VALUES (gen_random_uuid(), $1, NULL, NULL, 'EXPORT', NULL, NULL, NULL, NULL, $2, $3::jsonb, NULL)`,
    [new Date(), reason, JSON.stringify(details)],
  );
}

/**
 * Creates the job (already RUNNING, so no app worker takes it), writes the bundle into
 * EXPORT_DIR and records the outcome, as the worker does. Bad input (an unknown article, invalid
 * filters) throws an AppError before anything is written.
 */
export async function operatorExport(studyName: string, format: ExportFormatName, rawFilters: unknown): Promise<OperatorExportResult> {
  const filters: ExportFilters = exportFiltersSchema.parse(rawFilters);
  return withSql(async (conn) => {
    if (filters.articles.length) {
      const found = await conn.query<{ slug: string }>(`SELECT slug FROM "Article" WHERE slug = ANY($1::text[])`, [filters.articles]);
      const missing = filters.articles.filter((s) => !found.some((a) => a.slug === s));
      if (missing.length) throw fieldError("filters.articles", `unknown article ${missing.join(", ")}`);
    }
    const study = await operatorStudyRaw(conn, studyName);
    const [job] = await conn.query<{ id: string; createdAt: Date }>(
      `INSERT INTO "ExportJob" (id, "studyId", "requestedById", "requestedVia", format, filters, status, "startedAt", "heartbeatAt")
       VALUES (gen_random_uuid(), $1::uuid, NULL, 'cli', $2::"ExportFormat", $3::jsonb, 'RUNNING', $4, $4)
       RETURNING id::text, "createdAt"`,
      [study.id, FORMAT_TO_DB[format], JSON.stringify(filters), new Date()],
    );
    const id = job!.id;
    const log = (details: Record<string, unknown>) =>
      logExport(conn, `Research export (${format}) for study "${study.name}": ${String(details.status)}`, {
        exportId: id,
        studyId: study.id,
        format,
        via: "cli",
        filters,
        ...details,
      });
    const base = { id, studyId: study.id, studyCreated: study.created };
    let result: BundleResult;
    try {
      result = await writeBundle(
        {
          exportId: id,
          requestedAt: new Date(job!.createdAt),
          study: { id: study.id, name: study.name, key: study.key },
          format,
          filters,
          requestedVia: "cli",
          requesterRole: "OPERATOR",
        },
        exportDir(),
        async (written, total) => {
          await conn.query(`UPDATE "ExportJob" SET "rowsWritten" = $2, "rowsTotal" = $3, "heartbeatAt" = $4 WHERE id = $1::uuid`, [id, written, total, new Date()]);
        },
      );
    } catch (err) {
      const message =
        err instanceof AppError ? err.message : "The export failed on the server; nothing was kept. Try again, or ask an operator to check the server log.";
      if (!(err instanceof AppError)) console.error(`[export ${id}] failed`, err);
      await conn.query(`UPDATE "ExportJob" SET status = 'FAILED', error = $2, "finishedAt" = $3 WHERE id = $1::uuid`, [id, message, new Date()]);
      await log({ status: "FAILED", error: message });
      return { ...base, status: "FAILED", rowsWritten: 0, optedOutExcluded: null, bundle: null, error: message };
    }
    const finished = new Date();
    await conn.query(
      `UPDATE "ExportJob" SET status = 'SUCCEEDED', "rowsWritten" = $2, "rowsTotal" = $3, "optedOutExcluded" = $4, "fileName" = $5,
              "byteSize" = $6, sha256 = $7, manifest = $8::jsonb, "finishedAt" = $9, "expiresAt" = $10, error = NULL
        WHERE id = $1::uuid`,
      [
        id,
        result.rowsWritten,
        result.rowsTotal,
        result.manifest.counts.optedOutExcluded,
        path.basename(result.zipPath),
        String(result.bytes),
        result.sha256,
        JSON.stringify(result.manifest),
        finished,
        new Date(finished.getTime() + retentionMs()),
      ],
    );
    await log({ status: "SUCCEEDED", counts: result.manifest.counts, sha256: result.sha256, bytes: result.bytes });
    return {
      ...base,
      status: "SUCCEEDED",
      rowsWritten: result.rowsWritten,
      optedOutExcluded: result.manifest.counts.optedOutExcluded,
      bundle: { bytes: result.bytes, sha256: result.sha256 },
      error: null,
    };
  });
}
