import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { loadContent, readArticles } from "@/lib/content/load-content";
import { getDb, type Db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { contentLoaded, operatorExport } from "@/lib/research/cli-export";
import { retentionMs } from "@/lib/research/config";
import type { ExportDto } from "@/lib/research/export-job";
import { createExport, runExport } from "@/lib/research/jobs";
import { createExportSchema } from "@/lib/research/schemas";
import { operatorStudy } from "@/lib/research/studies";
import { articleSource, claim, suffix, type LoadedArticle } from "./support/fixtures";
import type { TestUser } from "./support/moderation";
import { readBundle, researchData, useTempExportDir } from "./support/research";

/**
 * `npm run export` runs lib/research/cli-export.ts: the operator's export with raw SQL, without the
 * Prisma client (docs/decisions/0045). It must leave what the app's job path leaves for the same
 * request: the job row, the audit-log entry, and the same table files.
 */

let db: Db;
let data: ReturnType<typeof researchData>;
let exportDir: Awaited<ReturnType<typeof useTempExportDir>>;
let alice: TestUser;
let carol: TestUser;
let A: LoadedArticle;
const studyName = `Operator study ${suffix()}`;
const studyIds: string[] = [];

beforeAll(async () => {
  exportDir = await useTempExportDir();
  db = await getDb();
  data = researchData(db);
  alice = await data.user();
  carol = await data.user({ optOut: true });
  A = await data.articleWith(["The first paragraph of the operator's article, with a claim in it.", "A second paragraph, about something else entirely."]);
  await createContribution(alice, A.slug, claim(A, 0, [4, 20]));
  await createContribution(alice, A.slug, claim(A, 1, "whole", { kind: "COUNTERPOINT" }));
  await createContribution(carol, A.slug, claim(A, 1, [0, 8]));
});

afterAll(async () => {
  const jobs = await db.exportJob.findMany({ where: { studyId: { in: studyIds } }, select: { id: true } });
  await db.exportJob.deleteMany({ where: { id: { in: jobs.map((j) => j.id) } } });
  await db.researchStudy.deleteMany({ where: { id: { in: studyIds } } });
  await data?.cleanup();
  await exportDir?.remove();
});

const JOB_FIELDS = {
  status: true,
  requestedById: true,
  requestedVia: true,
  format: true,
  filters: true,
  rowsWritten: true,
  rowsTotal: true,
  optedOutExcluded: true,
  fileName: true,
  byteSize: true,
  sha256: true,
  manifest: true,
  error: true,
  createdAt: true,
  startedAt: true,
  heartbeatAt: true,
  finishedAt: true,
  expiresAt: true,
  studyId: true,
} as const;

describe("the operator's export without Prisma", () => {
  it("leaves the same job, audit entry and table files as the app's job path", async () => {
    const filters = { articles: [A.slug], statuses: ["PUBLISHED"], includeModeration: true };
    const ours = await operatorExport(studyName, "csv", filters);
    studyIds.push(ours.studyId);
    expect(ours).toMatchObject({ status: "SUCCEEDED", studyCreated: true, optedOutExcluded: 1, error: null });
    // The same study (found by name, not made again), through Prisma.
    const study = await operatorStudy(studyName);
    expect(study).toEqual({ id: ours.studyId, created: false });
    expect((await operatorExport(studyName, "csv", filters)).studyCreated).toBe(false);
    const queued = await createExport(null, createExportSchema.parse({ studyId: study.id, format: "csv", filters }), "cli", { runHere: true });
    const theirs = await runExport(queued.id, { alreadyClaimed: true });
    expect(theirs.status).toBe("SUCCEEDED");

    const row = (id: string) => db.exportJob.findUniqueOrThrow({ where: { id }, select: JOB_FIELDS });
    const a = await row(ours.id);
    const b = await row(theirs.id);
    const comparable = (j: typeof a) => {
      const { createdAt, startedAt, heartbeatAt, finishedAt, expiresAt, fileName, byteSize, sha256, manifest, ...rest } = j;
      for (const t of [createdAt, startedAt, heartbeatAt, finishedAt, expiresAt]) expect(t).toBeInstanceOf(Date);
      expect(expiresAt!.getTime() - finishedAt!.getTime()).toBe(retentionMs());
      expect(fileName).toMatch(/\.zip$/);
      expect(sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(byteSize)).toBeGreaterThan(0);
      const m = manifest as { exportId: string; generatedAt: string; requestedAt: string; files: { path: string; sha256: string }[] };
      return { ...rest, manifest: { ...m, exportId: null, generatedAt: null, requestedAt: null, files: m.files.filter((f) => f.path.endsWith(".csv")) } };
    };
    expect(comparable(a)).toEqual(comparable(b));
    expect(a).toMatchObject({ status: "SUCCEEDED", requestedById: null, requestedVia: "cli", format: "CSV", error: null, optedOutExcluded: 1, sha256: ours.bundle!.sha256 });
    expect(Number(a.byteSize)).toBe(ours.bundle!.bytes);

    // The bundle: the same tables, byte for byte; the same pseudonyms (same study key).
    const bundleA = await readBundle(exportDir.dir, { id: ours.id } as ExportDto);
    const bundleB = await readBundle(exportDir.dir, { id: theirs.id } as ExportDto);
    for (const [name, bytes] of bundleA.files) if (name.endsWith(".csv")) expect(bytes.equals(bundleB.files.get(name)!), name).toBe(true);
    expect(bundleA.manifest.requestedVia).toBe("cli");
    expect(bundleA.manifest.requesterRole).toBe("OPERATOR");

    // One audit entry each, alike but for the export's own id, size and checksum.
    const logOf = async (id: string) =>
      (await db.moderationLog.findMany({ where: { action: "EXPORT", actorId: null } })).filter((r) => (r.details as { exportId?: string } | null)?.exportId === id);
    const [la] = await logOf(ours.id);
    const [lb] = await logOf(theirs.id);
    expect(await logOf(ours.id)).toHaveLength(1);
    expect(la).toMatchObject({ actorId: null, actorRole: null, contributionId: null, targetUserId: null, fromStatus: null, toStatus: null, contributionVersion: null, reason: lb!.reason });
    expect(la!.details).toEqual({ ...(lb!.details as object), exportId: ours.id, sha256: ours.bundle!.sha256, bytes: ours.bundle!.bytes });
  });

  it("refuses an unknown article and bad filters before writing anything", async () => {
    const before = await db.exportJob.count();
    await expect(operatorExport(studyName, "csv", { articles: ["no-such-article-cli-x"] })).rejects.toThrow(/unknown article no-such-article-cli-x/);
    await expect(operatorExport(studyName, "csv", { from: "2026-03-02", to: "2026-03-01" })).rejects.toThrow();
    expect(await db.exportJob.count()).toBe(before);
  });

  it("knows whether content/ is loaded, so it starts the Prisma-based loader only when a file changed", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cli-content-"));
    const before = process.env.CONTENT_DIR;
    try {
      process.env.CONTENT_DIR = dir;
      resetEnvCache();
      const slug = `test-cli-${suffix()}`;
      data.track(slug);
      await writeFile(path.join(dir, `${slug}.md`), articleSource("CLI content", ["One paragraph of a file the loader has not seen yet."]));
      expect(await contentLoaded()).toBe(false);
      await loadContent(db, await readArticles(dir));
      expect(await contentLoaded()).toBe(true);
      await writeFile(path.join(dir, `${slug}.md`), articleSource("CLI content", ["One paragraph of a file the loader has seen, now revised."]));
      expect(await contentLoaded()).toBe(false);
    } finally {
      if (before === undefined) delete process.env.CONTENT_DIR;
      else process.env.CONTENT_DIR = before;
      resetEnvCache();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
