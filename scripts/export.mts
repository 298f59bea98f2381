// npm run export -- --format jsonl --out <dir> --study "<name>" [filters]
//   --article <slug>        (repeatable; default: every article)
//   --from YYYY-MM-DD --to YYYY-MM-DD   (UTC days, inclusive)
//   --kind ANNOTATION|COUNTERPOINT|SOURCE   (repeatable; default: all)
//   --status PUBLISHED|PENDING|HIDDEN|REJECTED (repeatable; default: PUBLISHED)
//   --moderation            (add moderation events and flags)
//   --spreadsheet-safe      (CSV only: guard text against spreadsheet formulas; default: text exactly as written)
// The operator's research export: the same job, code path and bundle as /research and the API.
// The study is an operator study found (or made) by name, so its pseudonyms stay the same from
// one run to the next. The job is recorded and audit-logged like any other; the bundle is copied
// to <dir>/research-export-<id>.zip.
// `npm run export` runs this compiled (scripts/build-export.mjs → .build/export/export.mjs), and
// without the Prisma client unless content/ has to be loaded first (lib/research/cli-export.ts,
// docs/decisions/0045-compiled-export-cli.md). `npx tsx scripts/export.mts …` runs the same code.
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db/client";
import { contentLoaded, migrateRaw, operatorExport } from "@/lib/research/cli-export";
import { createExportSchema } from "@/lib/research/schemas";
import { exportDir } from "@/lib/research/config";

const { values } = parseArgs({
  options: {
    format: { type: "string", default: "csv" },
    out: { type: "string" },
    study: { type: "string" },
    article: { type: "string", multiple: true },
    from: { type: "string" },
    to: { type: "string" },
    kind: { type: "string", multiple: true },
    status: { type: "string", multiple: true },
    moderation: { type: "boolean", default: false },
    "spreadsheet-safe": { type: "boolean", default: false },
  },
});

try {
  if (!values.out) throw new Error("--out <dir> is required");
  if (!values.study?.trim()) throw new Error('--study "<name>" is required (it keeps pseudonyms stable across runs)');
  const parsed = createExportSchema.safeParse({
    studyId: "00000000-0000-4000-8000-000000000000", // replaced below once the study is known
    format: values.format,
    filters: {
      articles: values.article ?? [],
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
      ...(values.kind ? { kinds: values.kind } : {}),
      ...(values.status ? { statuses: values.status } : {}),
      includeModeration: values.moderation,
      spreadsheetSafe: values["spreadsheet-safe"],
    },
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  }
  // As the app does at start: migrated, content/ loaded (the loader, on Prisma, only if a file changed).
  const applied = await migrateRaw();
  if (applied.length) console.log(`[db] applied migrations: ${applied.join(", ")}`);
  if (!(await contentLoaded())) await (await import("@/lib/startup")).prepareDatabase();
  const name = values.study.trim();
  const done = await operatorExport(name, parsed.data.format, parsed.data.filters);
  console.log(`[export] study "${name}" (${done.studyCreated ? "new" : "existing"}, ${done.studyId})`);
  console.log(`[export] export ${done.id}: ${done.status === "SUCCEEDED" ? "done" : "failed"}`);
  if (done.status !== "SUCCEEDED" || !done.bundle) throw new Error(done.error ?? `the export ended ${done.status}`);
  await mkdir(values.out, { recursive: true });
  const target = path.resolve(values.out, `research-export-${done.id}.zip`);
  await copyFile(path.join(exportDir(), `${done.id}.zip`), target);
  console.log(`[export] ${done.rowsWritten} rows; ${done.optedOutExcluded ?? 0} contributions left out (opted out)`);
  console.log(`[export] wrote ${target} (${done.bundle.bytes} bytes, sha256 ${done.bundle.sha256})`);
} catch (err) {
  console.error(`[export] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
