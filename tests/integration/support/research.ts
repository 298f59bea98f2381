import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import yauzl from "yauzl";
import type { CurrentUser } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import type { Manifest } from "@/lib/research/bundle";
import { createExport, runExport, type ExportDto } from "@/lib/research/jobs";
import { createExportSchema } from "@/lib/research/schemas";
import { createStudy, type StudyDto } from "@/lib/research/studies";
import { loadContent } from "@/lib/content/load-content";
import { latestVersion, suffix, testArticle, type LoadedArticle } from "./fixtures";
import { moderationData, type TestUser, type UserOptions } from "./moderation";

/**
 * Test data and readers for the research export suites. Built on ./moderation (whose cleanup
 * knows that audit-logged users and contributions stay), plus the studies and export jobs this
 * file made, which must go first: their foreign keys to User RESTRICT.
 */

/**
 * Points EXPORT_DIR at a new temporary directory for this process. Call in beforeAll before
 * anything reads the environment; await the returned remove() in afterAll.
 */
export async function useTempExportDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "research-export-test-"));
  const before = process.env.EXPORT_DIR;
  process.env.EXPORT_DIR = dir;
  resetEnvCache();
  return {
    dir,
    async remove() {
      if (before === undefined) delete process.env.EXPORT_DIR;
      else process.env.EXPORT_DIR = before;
      resetEnvCache();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What must never leave in a bundle: every test person's identifying data. */
export interface Secret {
  email: string;
  name: string;
  passwordHash: string;
}

/** Made-up but distinctive first and last names, so a leak cannot hide behind a common word. */
const FIRST = ["Ottoline", "Barnaby", "Perpetua", "Leofric", "Ysolde", "Crispin", "Hermione", "Tancred", "Isolde", "Wystan"];
const LAST = ["Quarrendon", "Fothergill", "Vantablack", "Pettigrew", "Ashcombe", "Marchbanks", "Thistlewood", "Grimsditch"];
let nameCounter = 0;

export function distinctiveName(): string {
  const i = nameCounter++;
  return `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}-${suffix()}`;
}

export function researchData(db: Db) {
  const base = moderationData(db);
  const secrets: Secret[] = [];
  const studyIds: string[] = [];
  const ownSlugs: string[] = [];

  return {
    ...base,
    secrets,

    /** A user with a distinctive name and password hash, remembered in `secrets`. */
    async user(opts: UserOptions & { optOut?: boolean } = {}): Promise<TestUser> {
      const u = await base.user({ ...opts, name: opts.name ?? distinctiveName() });
      const passwordHash = `$argon2id$v=19$m=65536,t=3,p=4$${suffix()}${suffix()}$${suffix()}${suffix()}${suffix()}`;
      await db.user.update({ where: { id: u.id }, data: { passwordHash, researchOptOut: opts.optOut ?? false }, select: { id: true } });
      secrets.push({ email: u.email, name: u.name, passwordHash });
      return u;
    },

    /** A test article with exactly these paragraphs (post-moderation). */
    async articleWith(paragraphs: readonly string[]): Promise<LoadedArticle> {
      const parsed = testArticle(paragraphs);
      ownSlugs.push(parsed.slug);
      await loadContent(db, [parsed]);
      return latestVersion(db, parsed.slug);
    },

    async study(owner: CurrentUser, name = `Study ${suffix()}`): Promise<StudyDto> {
      const s = await createStudy(owner, { name, description: undefined });
      studyIds.push(s.id);
      return s;
    },

    /** The study's key, read from the database (it is never returned by the API). */
    async studyKey(studyId: string): Promise<Uint8Array> {
      const s = await db.researchStudy.findUniqueOrThrow({ where: { id: studyId }, select: { pseudonymKey: true } });
      return new Uint8Array(s.pseudonymKey);
    },

    /** Creates an export through the real path (parsed like a route would) and runs it; expects success. */
    async exportNow(user: CurrentUser | null, input: unknown, via: "web" | "api" | "cli" = "web"): Promise<ExportDto> {
      const queued = await createExport(user, createExportSchema.parse(input), via);
      expect(queued.status).toBe("QUEUED");
      const done = await runExport(queued.id);
      expect(done.error, "export failed").toBeNull();
      expect(done.status).toBe("SUCCEEDED");
      return done;
    },

    async cleanup(): Promise<void> {
      const mine = { OR: [{ requestedById: { in: base.userIds } }, { studyId: { in: studyIds } }] };
      await db.exportJob.deleteMany({ where: mine });
      await db.researchStudy.deleteMany({ where: { OR: [{ id: { in: studyIds } }, { ownerId: { in: base.userIds } }] } });
      await base.cleanup();
      // Articles made by articleWith(): gone once nothing (audit-logged) still points at them.
      await db.article.deleteMany({ where: { slug: { in: ownSlugs }, contributions: { none: {} } } });
    },
  };
}

export type ResearchData = ReturnType<typeof researchData>;

/** Every entry of a zip, by name, with its bytes. */
export async function readZip(zip: Buffer): Promise<Map<string, Buffer>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  try {
    for await (const entry of file.eachEntry()) {
      if (entry.fileName.endsWith("/")) continue;
      const stream = await file.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      out.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    file.close();
  }
  return out;
}

/** A finished export's zip (read from EXPORT_DIR, where the job says it is) and its entries. */
export async function readBundle(exportDir: string, job: ExportDto): Promise<{ zip: Buffer; files: Map<string, Buffer>; manifest: Manifest }> {
  const zip = await readFile(path.join(exportDir, `${job.id}.zip`));
  const files = await readZip(zip);
  const m = files.get("manifest.json");
  if (!m) throw new Error(`bundle ${job.id} has no manifest.json`);
  return { zip, files, manifest: JSON.parse(m.toString("utf8")) as Manifest };
}

export const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/**
 * A CSV file as records of named fields, parsed by a real RFC 4180 parser (csv-parse). An
 * unquoted empty field is null (how the export writes null); a quoted one is "".
 */
export function parseCsv(buf: Buffer): Record<string, string | null>[] {
  return parse(buf, {
    columns: true,
    bom: false,
    record_delimiter: "\r\n",
    relax_quotes: false,
    cast: (value, ctx) => (ctx.header ? value : !ctx.quoting && value === "" ? null : value),
  }) as Record<string, string | null>[];
}

/** The header row of a CSV file. */
export function csvHeader(buf: Buffer): string[] {
  const rows = parse(buf, { to_line: 1, record_delimiter: "\r\n" }) as string[][];
  return rows[0] ?? [];
}

export function parseJsonl(buf: Buffer): Record<string, unknown>[] {
  const text = buf.toString("utf8");
  if (text === "") return [];
  expect(text.endsWith("\n"), "JSONL ends with a line feed").toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Undoes the CSV formula guard the way the README tells a recipient to: one leading `'` is
 * removed from a text value that starts with one. Written here, not imported, so the test does
 * not check the export with its own code.
 */
export function unguard(value: string | null | undefined): string | null {
  if (value === undefined) throw new Error("unguard: no such column");
  return value !== null && value.startsWith("'") ? value.slice(1) : value;
}

/** The records of one table of a bundle, whatever its format (csv or jsonl). */
export function tableRows(files: Map<string, Buffer>, table: string): Record<string, unknown>[] {
  const csv = files.get(`${table}.csv`);
  if (csv) return parseCsv(csv);
  const jsonl = files.get(`${table}.jsonl`);
  if (jsonl) return parseJsonl(jsonl);
  throw new Error(`no ${table}.csv or ${table}.jsonl in the bundle (has: ${[...files.keys()].join(", ")})`);
}

/** One exported contribution, the same few fields whatever the format. */
export interface ExportedContribution {
  id: string;
  kind: string;
  status: string;
  publiclyVisible: boolean;
  author: string | null;
  body: string | null;
}

/** The annotations of a JSON-LD bundle, from every page the collection names. */
export function jsonLdAnnotations(files: Map<string, Buffer>): Record<string, unknown>[] {
  const pages = [...files.keys()].filter((f) => /^annotations\/page-\d{5}\.jsonld$/.test(f)).sort();
  return pages.flatMap((p) => (JSON.parse(files.get(p)!.toString("utf8")) as { items: Record<string, unknown>[] }).items);
}

export function exportedContributions(files: Map<string, Buffer>): ExportedContribution[] {
  if (files.has("annotations/collection.jsonld")) {
    return jsonLdAnnotations(files).map((a) => {
      const bodies = (Array.isArray(a.body) ? a.body : [a.body]) as { type: string; value?: string }[];
      const creator = (a.creator as { id: string } | undefined)?.id ?? null;
      return {
        id: String(a.id).replace(/^urn:uuid:/, ""),
        kind: String(a.contributionKind),
        status: String(a.moderationStatus),
        publiclyVisible: a.publiclyVisible as boolean,
        author: creator === null ? null : creator.slice(creator.lastIndexOf("/") + 1),
        body: bodies.find((b) => b.type === "TextualBody")?.value ?? null,
      };
    });
  }
  const csv = files.has("contributions.csv");
  // The guard is applied only when the export asked for it (manifest.json says whether).
  const guarded = csv && (JSON.parse(files.get("manifest.json")!.toString("utf8")) as { csvFormulaGuard?: boolean }).csvFormulaGuard === true;
  return tableRows(files, "contributions").map((r) => ({
    id: String(r.contribution_id),
    kind: String(r.kind),
    status: String(r.status),
    publiclyVisible: csv ? r.publicly_visible === "true" : (r.publicly_visible as boolean),
    author: (r.author_pseudonym as string | null) ?? null,
    body: guarded ? unguard(r.body as string | null) : (r.body as string | null),
  }));
}
