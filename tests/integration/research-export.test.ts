import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { createReply } from "@/lib/annotations/create-reply";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { updateContribution } from "@/lib/annotations/update-contribution";
import type { ContributionDto } from "@/lib/annotations/dto";
import { getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { scoreContributions } from "@/lib/ranking/score-contributions";
import { rateContribution } from "@/lib/ratings/rate-contribution";
import type { Manifest } from "@/lib/research/bundle";
import {
  bundleForDownload,
  createExport,
  expireExports,
  getExport,
  getManifest,
  listExports,
  runExport,
  type ExportDto,
} from "@/lib/research/jobs";
import { keyFingerprint, pseudonymOf } from "@/lib/research/pseudonym";
import { createExportSchema } from "@/lib/research/schemas";
import type { StudyDto } from "@/lib/research/studies";
import { tableDef } from "@/lib/research/tables";
import { updateSettings } from "@/lib/users/settings";
import { claim, type LoadedArticle } from "./support/fixtures";
import { appError, type TestUser } from "./support/moderation";
import {
  exportedContributions,
  jsonLdAnnotations,
  parseCsv,
  parseJsonl,
  readBundle,
  researchData,
  sha256,
  tableRows,
  unguard,
  useTempExportDir,
  type ExportedContribution,
} from "./support/research";

/**
 * Research exports end to end below the HTTP layer: createExport + runExport write a real zip
 * into a temporary EXPORT_DIR, which the tests open (yauzl) and parse (csv-parse, JSON).
 * Every export is filtered to this file's own articles, because with DATABASE_URL all files
 * share one database.
 */

let db: Db;
let data: ReturnType<typeof researchData>;
let exportDir: Awaited<ReturnType<typeof useTempExportDir>>;

let A: LoadedArticle; // post-moderation, most contributions
let B: LoadedArticle; // post-moderation, one contribution
let C: LoadedArticle; // pre-moderation: a pending contribution
let alice: TestUser;
let bob: TestUser;
let carol: TestUser; // opted out of research exports
let reader: TestUser;
let mod: TestUser;
let admin: TestUser;
let researcher: TestUser;
let otherResearcher: TestUser;
let study: StudyDto;
let otherStudy: StudyDto;
let adminStudy: StudyDto;

/** The contributions, by role in the tests. */
const c: Record<string, ContributionDto> = {};
const PRIVATE_FLAG_NOTE = "Private report note 7f3a: only moderators may read this";

async function createdAt(id: string, iso: string) {
  await db.contribution.update({ where: { id }, data: { createdAt: new Date(iso) }, select: { id: true } });
}

beforeAll(async () => {
  exportDir = await useTempExportDir();
  db = await getDb();
  data = researchData(db);
  A = await data.article(2);
  B = await data.article(1);
  C = await data.article(1, "PRE_MODERATION");
  alice = await data.user();
  bob = await data.user();
  carol = await data.user();
  reader = await data.user();
  mod = await data.user({ role: "MODERATOR" });
  admin = await data.user({ role: "ADMIN" });
  researcher = await data.user({ role: "RESEARCHER" });
  otherResearcher = await data.user({ role: "RESEARCHER" });
  study = await data.study(researcher);
  otherStudy = await data.study(researcher);
  adminStudy = await data.study(admin);

  c.early = await data.post(alice, A, { kind: "ANNOTATION" });
  await createdAt(c.early.id, "2026-03-01T00:00:00.000Z");
  c.lateInDay = await data.post(bob, A, { kind: "COUNTERPOINT" });
  await createdAt(c.lateInDay.id, "2026-03-02T23:59:59.999Z");
  c.source = await data.post(alice, A, { kind: "SOURCE", p: 1 });
  await createdAt(c.source.id, "2026-03-03T00:00:00.000Z");
  c.otherArticle = await data.post(bob, B);
  await createdAt(c.otherArticle.id, "2026-03-02T12:00:00.000Z");
  c.optedOut = await data.post(carol, A);
  await createdAt(c.optedOut.id, "2026-03-02T10:00:00.000Z");
  c.deleted = await data.post(alice, A);
  await createdAt(c.deleted.id, "2026-03-02T11:00:00.000Z");
  await deleteContribution(alice, c.deleted.id);
  c.hidden = await data.post(bob, A);
  await createdAt(c.hidden.id, "2026-03-02T13:00:00.000Z");
  await decide(mod, "HIDE", [{ id: c.hidden.id, version: 1 }], "Hidden for the export test");
  c.rejected = await data.post(alice, A, { kind: "COUNTERPOINT" });
  await createdAt(c.rejected.id, "2026-03-02T14:00:00.000Z");
  await decide(mod, "REJECT", [{ id: c.rejected.id, version: 1 }], "Rejected for the export test");
  c.pending = await data.post(alice, C);
  expect(c.pending.status).toBe("PENDING");

  // Reports: one still open (by a reader), one by the opted-out user, closed by a KEEP.
  await flagContribution(reader, c.early.id, { reason: "SPAM", note: PRIVATE_FLAG_NOTE });
  await flagContribution(carol, c.lateInDay.id, { reason: "OFF_TOPIC" });
  await decide(mod, "KEEP", [{ id: c.lateInDay.id, version: 1 }], "Kept: on topic");

  // Carol opts out through her settings, after she wrote and reported.
  expect(await updateSettings(carol, { researchOptOut: true })).toMatchObject({ researchOptOut: true });
});

afterAll(async () => {
  await data?.cleanup();
  await exportDir?.remove();
});

interface Exported {
  job: ExportDto;
  zip: Buffer;
  files: Map<string, Buffer>;
  manifest: Manifest;
  contributions: ExportedContribution[];
}

async function exportAs(
  user: TestUser | null,
  filters: Record<string, unknown>,
  opts: { format?: "csv" | "jsonl" | "jsonld"; study?: StudyDto } = {},
): Promise<Exported> {
  const job = await data.exportNow(user, { studyId: (opts.study ?? study).id, format: opts.format ?? "csv", filters });
  const bundle = await readBundle(exportDir.dir, job);
  return { job, ...bundle, contributions: exportedContributions(bundle.files) };
}

const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();
const idsOf = (...keys: string[]) => keys.map((k) => c[k]!.id).sort();

describe("filters select exactly the right rows", () => {
  const cases: [string, () => Record<string, unknown>, string[], number][] = [
    ["one article, defaults (published, every kind, any day)", () => ({ articles: [A.slug] }), ["early", "lateInDay", "source"], 1],
    ["two articles", () => ({ articles: [A.slug, B.slug] }), ["early", "lateInDay", "source", "otherArticle"], 1],
    ["one UTC day (from = to, both inclusive, to the last millisecond)", () => ({ articles: [A.slug], from: "2026-03-02", to: "2026-03-02" }), ["lateInDay"], 1],
    ["from a day on", () => ({ articles: [A.slug], from: "2026-03-02" }), ["lateInDay", "source"], 1],
    ["up to a day", () => ({ articles: [A.slug], to: "2026-03-01" }), ["early"], 0],
    ["a day with nothing published", () => ({ articles: [A.slug], from: "2026-03-04", to: "2026-03-04" }), [], 0],
    ["some kinds", () => ({ articles: [A.slug], kinds: ["COUNTERPOINT", "SOURCE"] }), ["lateInDay", "source"], 0],
    ["kinds and days together", () => ({ articles: [A.slug, B.slug], kinds: ["ANNOTATION"], from: "2026-03-02" }), ["otherArticle"], 1],
  ];

  it.each(cases)("%s", async (_label, filters, expected, optedOut) => {
    const f = filters();
    const e = await exportAs(researcher, f);
    expect(ids(e.contributions)).toEqual(idsOf(...expected));
    expect(e.manifest.counts.contributions).toBe(expected.length);
    expect(e.manifest.counts.optedOutExcluded).toBe(optedOut);
    expect(e.job.optedOutExcluded).toBe(optedOut);
    expect(e.manifest.filters).toMatchObject({ ...f, includeModeration: false, statuses: ["PUBLISHED"] });
    // The annotated text: exactly the articles asked for, every version and paragraph of them.
    const slugs = f.articles as string[];
    const articles = tableRows(e.files, "articles");
    expect(articles.map((a) => a.slug).sort()).toEqual([...slugs].sort());
    const articleIds = articles.map((a) => a.article_id);
    const versions = tableRows(e.files, "article_versions");
    expect(new Set(versions.map((v) => v.article_id))).toEqual(new Set(articleIds));
    const expectedParagraphs = [A, B].filter((x) => slugs.includes(x.slug)).flatMap((x) => x.paragraphs.map((p) => p.id));
    expect(tableRows(e.files, "paragraphs").map((p) => p.paragraph_id).sort()).toEqual(expectedParagraphs.sort());
    // No moderation tables unless asked for.
    expect([...e.files.keys()].filter((n) => /moderation_events|flags/.test(n))).toEqual([]);
    expect(e.manifest.counts.moderationEvents).toBe(0);
    expect(e.manifest.counts.flags).toBe(0);
  });

  it("rejects an unknown article and a range that ends before it starts", async () => {
    const err = await appError("validation", () =>
      createExport(researcher, createExportSchema.parse({ studyId: study.id, format: "csv", filters: { articles: [A.slug, "no-such-article-x1"] } }), "web"),
    );
    expect(err.message).toContain("no-such-article-x1");
    expect(createExportSchema.safeParse({ studyId: study.id, format: "csv", filters: { from: "2026-03-02", to: "2026-03-01" } }).success).toBe(false);
  });

  it("includeModeration adds moderation_events and flags, with exactly the rows about the exported contributions", async () => {
    const key = await data.studyKey(study.id);
    const e = await exportAs(researcher, { articles: [A.slug], includeModeration: true });
    expect(ids(e.contributions)).toEqual(idsOf("early", "lateInDay", "source"));

    const events = parseCsv(e.files.get("moderation_events.csv")!);
    const logged = await db.moderationLog.findMany({
      where: { contributionId: { in: idsOf("early", "lateInDay", "source") } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(logged.map((l) => l.action).sort()).toEqual(["FLAG", "FLAG", "KEEP"]);
    expect(events.map((r) => r.event_id)).toEqual(logged.map((l) => l.id));
    const byAction = (contribution: string, action: string) => events.find((r) => r.contribution_id === c[contribution]!.id && r.action === action);
    // The reader's report: the reader's pseudonym, never the private note.
    expect(byAction("early", "FLAG")).toMatchObject({ actor_pseudonym: pseudonymOf(key, reader.id), actor_kind: "PERSON", reason: null });
    // The opted-out reporter: a person, but no pseudonym.
    expect(byAction("lateInDay", "FLAG")).toMatchObject({ actor_pseudonym: null, actor_kind: "PERSON", reason: null });
    expect(byAction("lateInDay", "KEEP")).toMatchObject({
      actor_pseudonym: pseudonymOf(key, mod.id),
      actor_kind: "PERSON",
      from_status: "PUBLISHED",
      to_status: "PUBLISHED",
      reason: "Kept: on topic",
    });

    const flags = parseCsv(e.files.get("flags.csv")!);
    const dbFlags = await db.flag.findMany({ where: { contributionId: { in: idsOf("early", "lateInDay", "source") } } });
    expect(flags.map((f) => f.flag_id).sort()).toEqual(dbFlags.map((f) => f.id).sort());
    const flagOf = (k: string) => flags.find((f) => f.contribution_id === c[k]!.id)!;
    expect(flagOf("early")).toMatchObject({ reporter_pseudonym: pseudonymOf(key, reader.id), reason: "SPAM", status: "OPEN", resolved_at: null });
    expect(flagOf("lateInDay")).toMatchObject({ reporter_pseudonym: null, reason: "OFF_TOPIC", status: "RESOLVED" });
    expect(flagOf("lateInDay").resolved_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    expect(e.manifest.counts).toMatchObject({ contributions: 3, moderationEvents: 3, flags: 2, optedOutExcluded: 1 });
    expect(e.manifest.files.find((f) => f.path === "moderation_events.csv")?.rows).toBe(3);
    expect(e.manifest.files.find((f) => f.path === "flags.csv")?.rows).toBe(2);
  });

  it("includeModeration with a date filter keeps only the events of the contributions selected", async () => {
    const e = await exportAs(researcher, { articles: [A.slug], includeModeration: true, to: "2026-03-01" }, { format: "jsonl" });
    expect(ids(e.contributions)).toEqual(idsOf("early"));
    const events = parseJsonl(e.files.get("moderation_events.jsonl")!);
    expect(events.map((r) => [r.contribution_id, r.action])).toEqual([[c.early!.id, "FLAG"]]);
    expect(parseJsonl(e.files.get("flags.jsonl")!).map((r) => r.contribution_id)).toEqual([c.early!.id]);
  });
});

describe("threads", () => {
  it("every row carries parent_id, root_id and depth, in CSV and JSONL; a JSON-LD reply is `replying` to its parent", async () => {
    const T = await data.article(1);
    const root = await data.post(alice, T, { kind: "COUNTERPOINT" });
    const reply = await createReply(bob, root.id, { kind: "COUNTERPOINT", body: "A reply that disputes it." });
    const deeper = await createReply(alice, reply.id, { kind: "ANNOTATION", body: "An answer to the reply." });
    const expected = new Map([
      [root.id, { parent_id: "", root_id: "", depth: "0" }],
      [reply.id, { parent_id: root.id, root_id: root.id, depth: "1" }],
      [deeper.id, { parent_id: reply.id, root_id: root.id, depth: "2" }],
    ]);
    const csv = await exportAs(researcher, { articles: [T.slug] }, { format: "csv" });
    const rows = tableRows(csv.files, "contributions");
    expect(rows).toHaveLength(3);
    // An empty CSV cell and a JSON null both read as "" here.
    const tree = (r: Record<string, unknown>) => ({ parent_id: r.parent_id ?? "", root_id: r.root_id ?? "", depth: String(r.depth) });
    for (const r of rows) expect(tree(r)).toEqual(expected.get(String(r.contribution_id ?? r.id)));
    const jsonl = await exportAs(researcher, { articles: [T.slug] }, { format: "jsonl" });
    const lines = tableRows(jsonl.files, "contributions");
    expect(lines).toHaveLength(3);
    for (const r of lines) expect(tree(r)).toEqual(expected.get(String(r.contribution_id ?? r.id)));
    const ld = await exportAs(researcher, { articles: [T.slug] }, { format: "jsonld" });
    const annotations = new Map(
      [...ld.files.entries()]
        .filter(([n]) => n.endsWith(".jsonld"))
        .flatMap(([, b]) => JSON.stringify(JSON.parse(b.toString("utf8"))).match(/"id":"urn:uuid:[0-9a-f-]{36}","type":"Annotation","motivation":"[a-z]+"/g) ?? [])
        .map((m) => [m.slice(15, 51), m.slice(m.lastIndexOf(":") + 2, -1)]),
    );
    expect(annotations.get(reply.id)).toBe("replying");
    expect(annotations.get(deeper.id)).toBe("replying");
    expect(annotations.get(root.id)).not.toBe("replying");
  });
});

describe("sources, edit history, ratings and scores", () => {
  const FORMATS = ["csv", "jsonl", "jsonld"] as const;
  let S: LoadedArticle;
  let src: ContributionDto; // a source link, edited to add a DOI, an archived copy and a quote
  let note: ContributionDto; // rated only by an opted-out rater
  let untouched: ContributionDto; // never edited, never rated
  let rater: TestUser;
  let shy: TestUser; // opted out of research exports
  let runId: string;
  let keepVersion: number;
  let preRolesEvent: string;
  const byFormat = {} as Record<(typeof FORMATS)[number], Exported>;
  const QUOTE = "- Rents rose 4 % in 2025, \"the most\" since 1990.";

  beforeAll(async () => {
    S = await data.article(2);
    rater = await data.user();
    shy = await data.user({ optOut: true });
    src = await createContribution(
      alice,
      S.slug,
      claim(S, 0, "whole", { kind: "SOURCE", body: "First note.", source: { url: "https://www.Example.org/x", stance: "SUPPORTS", title: "Old title" } }),
    );
    await updateContribution(alice, src.id, {
      version: src.version,
      body: "- Rents: the note as edited.",
      source: {
        url: "https://www.Example.org/x",
        stance: "REFUTES",
        title: "New title",
        doi: "doi:10.1234/rent.2025",
        archiveUrl: "https://web.archive.example/2026/https://www.example.org/x",
        quote: QUOTE,
      },
    });
    note = await data.post(bob, S, { p: 1, kind: "ANNOTATION" });
    untouched = await data.post(bob, S, { p: 1, kind: "COUNTERPOINT" });

    // Moderation on the edited text: a report, then a moderator keeps it (which raises the version).
    await flagContribution(reader, src.id, { reason: "SPAM" });
    const v = (await db.contribution.findUniqueOrThrow({ where: { id: src.id }, select: { version: true } })).version;
    await decide(mod, "KEEP", [{ id: src.id, version: v }], "Kept: a real source");
    keepVersion = (await db.contribution.findUniqueOrThrow({ where: { id: src.id }, select: { version: true } })).version;
    // An entry as the log held it before roles and versions were recorded (inserting is what the log allows).
    preRolesEvent = (
      await db.moderationLog.create({
        data: { actorId: mod.id, action: "KEEP", contributionId: untouched.id, fromStatus: "PUBLISHED", toStatus: "PUBLISHED", reason: "Logged before roles" },
        select: { id: true },
      })
    ).id;

    await rateContribution(rater, src.id, { value: "HELPFUL", tags: ["CLEAR", "CITES_GOOD_SOURCES"] });
    await rateContribution(reader, src.id, { value: "SOMEWHAT_HELPFUL", tags: [] });
    await rateContribution(shy, note.id, { value: "NOT_HELPFUL", tags: ["OFF_TOPIC"] });
    await rateContribution(shy, src.id, { value: "NOT_HELPFUL", tags: [] });

    // A scoring run (another file's run may hold the lock for a moment).
    let run = await scoreContributions("operator");
    for (let i = 0; !run && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 250));
      run = await scoreContributions("operator");
    }
    expect(run).not.toBeNull();
    runId = run!.id;

    for (const format of FORMATS) byFormat[format] = await exportAs(researcher, { articles: [S.slug], includeModeration: true }, { format });
  });

  /** A table's rows with CSV's text turned into the JSONL types, so every format compares alike. */
  const typed = (e: Exported, table: string) => {
    const def = tableDef(table as Parameters<typeof tableDef>[0]);
    const csv = e.files.has(`${table}.csv`);
    return tableRows(e.files, table).map((r) => {
      if (!csv) return r;
      const out: Record<string, unknown> = {};
      for (const col of def.columns) {
        const v = r[col.name] as string | null;
        out[col.name] =
          v === null ? null : col.type === "integer" || col.type === "number" ? Number(v) : col.type === "boolean" ? v === "true" : col.type === "list" ? (v === "" ? [] : v.split(";")) : v;
      }
      return out;
    });
  };

  it.each(FORMATS)("%s: the source's domain, DOI, archived copy and quote, exactly as written", (format) => {
    const e = byFormat[format];
    if (format === "jsonld") {
      const a = jsonLdAnnotations(e.files).find((x) => x.id === `urn:uuid:${src.id}`)!;
      const bodies = a.body as Record<string, unknown>[];
      expect(bodies[0]).toMatchObject({
        type: "SpecificResource",
        source: "https://www.Example.org/x",
        purpose: "linking",
        title: "New title",
        state: { type: "TimeState", cached: "https://web.archive.example/2026/https://www.example.org/x" },
      });
      expect(bodies).toContainEqual({ type: "SpecificResource", source: "https://doi.org/10.1234/rent.2025", purpose: "linking" });
      expect(a.sourceQuote).toBe(QUOTE);
      expect(a.stance).toBe("REFUTES");
      return;
    }
    const row = typed(e, "contributions").find((r) => r.contribution_id === src.id)!;
    expect(row).toMatchObject({
      source_url: "https://www.Example.org/x",
      source_domain: "example.org",
      source_doi: "doi:10.1234/rent.2025",
      source_archive_url: "https://web.archive.example/2026/https://www.example.org/x",
      source_quote: QUOTE,
      body: "- Rents: the note as edited.",
      stance: "REFUTES",
    });
    const other = typed(e, "contributions").find((r) => r.contribution_id === note.id)!;
    expect(other).toMatchObject({ source_domain: null, source_doi: null, source_archive_url: null, source_quote: null });
  });

  it.each(FORMATS)("%s: contribution_revisions holds the text as posted and after the edit; moderation_events says which version was decided on", (format) => {
    const e = byFormat[format];
    const revisions = typed(e, "contribution_revisions");
    const ours = revisions.filter((r) => r.contribution_id === src.id).sort((a, b) => Number(a.version) - Number(b.version));
    expect(ours).toHaveLength(2);
    expect(ours[0]).toMatchObject({ version: 1, body: "First note.", source_title: "Old title", stance: "SUPPORTS", source_doi: null, source_quote: null });
    expect(ours[1]).toMatchObject({
      version: 2,
      body: "- Rents: the note as edited.",
      source_url: "https://www.Example.org/x",
      source_title: "New title",
      stance: "REFUTES",
      source_doi: "doi:10.1234/rent.2025",
      source_archive_url: "https://web.archive.example/2026/https://www.example.org/x",
      source_quote: QUOTE,
    });
    expect(String(ours[1]!.created_at) >= String(ours[0]!.created_at)).toBe(true);
    // One revision each for the others; every exported contribution has its first text.
    expect(revisions.filter((r) => r.contribution_id === note.id).map((r) => r.version)).toEqual([1]);
    expect(new Set(revisions.map((r) => r.contribution_id))).toEqual(new Set([src.id, note.id, untouched.id]));
    expect(e.manifest.counts.contributionRevisions).toBe(4);

    const events = typed(e, "moderation_events");
    const keep = events.find((r) => r.contribution_id === src.id && r.action === "KEEP")!;
    const flag = events.find((r) => r.contribution_id === src.id && r.action === "FLAG")!;
    expect(keep).toMatchObject({ actor_role: "MODERATOR", actor_kind: "PERSON", contribution_version: keepVersion });
    expect(flag).toMatchObject({ actor_role: "READER", contribution_version: 2 });
    // The text decided on: the revision with the largest version not above the event's.
    const decided = ours.filter((r) => Number(r.version) <= Number(keep.contribution_version)).at(-1)!;
    expect(decided.body).toBe("- Rents: the note as edited.");
    // Logged before roles and versions were recorded: a person, role and version empty.
    expect(events.find((r) => r.event_id === preRolesEvent)).toMatchObject({ actor_kind: "PERSON", actor_role: null, contribution_version: null });
  });

  it.each(FORMATS)("%s: ratings, without the opted-out rater's (counted), rater pseudonyms joining author pseudonyms", async (format) => {
    const e = byFormat[format];
    const key = await data.studyKey(study.id);
    const ratings = typed(e, "ratings");
    const stored = await db.rating.findMany({ where: { contributionId: { in: [src.id, note.id, untouched.id] } } });
    expect(stored).toHaveLength(4);
    const kept = stored.filter((r) => r.raterId !== shy.id);
    expect(ratings.map((r) => r.rating_id).sort()).toEqual(kept.map((r) => r.id).sort());
    expect(e.manifest.counts).toMatchObject({ ratings: 2, ratingsOptedOutExcluded: 2 });
    const byRater = (u: TestUser) => ratings.find((r) => r.rater_pseudonym === pseudonymOf(key, u.id))!;
    expect(byRater(rater)).toMatchObject({ contribution_id: src.id, value: "HELPFUL", tags: ["CLEAR", "CITES_GOOD_SOURCES"] });
    expect(byRater(reader)).toMatchObject({ contribution_id: src.id, value: "SOMEWHAT_HELPFUL", tags: [] });
    const r0 = kept.find((r) => r.raterId === rater.id)!;
    expect(byRater(rater)).toMatchObject({ created_at: r0.createdAt.toISOString(), updated_at: r0.updatedAt.toISOString() });
    // The same study pseudonymizer as authors: Bob wrote `note` and would rate under the same pseudonym.
    const bobAsAuthor = exportedContributions(e.files).find((x) => x.id === note.id)!.author;
    expect(bobAsAuthor).toBe(pseudonymOf(key, bob.id));
    const all = Buffer.concat([...e.files.values()]).toString("utf8");
    expect(all).not.toContain(pseudonymOf(key, shy.id));
    if (format === "csv") expect(e.files.get("ratings.csv")!.toString("utf8")).toContain(",CLEAR;CITES_GOOD_SOURCES,");
  });

  it.each(FORMATS)("%s: contribution_scores and the scoring_runs they refer to", async (format) => {
    const e = byFormat[format];
    const scores = typed(e, "contribution_scores");
    const history = await db.contributionScoreHistory.findMany({ where: { contributionId: { in: [src.id, note.id, untouched.id] } } });
    expect(scores).toHaveLength(history.length);
    expect(e.manifest.counts.contributionScores).toBe(history.length);
    const ours = scores.find((r) => r.run_id === runId && r.contribution_id === src.id)!;
    const h = history.find((x) => x.runId === runId && x.contributionId === src.id)!;
    expect(ours).toEqual({
      run_id: runId,
      contribution_id: src.id,
      intercept: h.intercept,
      factor: h.factor,
      rating_count: h.ratingCount,
      fit_rating_count: h.fitRatingCount,
      status: h.status,
      scored_at: h.scoredAt.toISOString(),
    });
    // The model counts every rating, the opted-out rater's too (the dictionary says so).
    expect(ours.rating_count).toBe(3);
    expect(scores.some((r) => r.contribution_id === note.id && r.run_id === runId)).toBe(true);
    expect(scores.some((r) => r.contribution_id === untouched.id)).toBe(false);

    const runs = typed(e, "scoring_runs");
    expect(new Set(runs.map((r) => r.run_id))).toEqual(new Set(scores.map((r) => r.run_id)));
    expect(e.manifest.counts.scoringRuns).toBe(runs.length);
    const stored = await db.scoringRun.findUniqueOrThrow({ where: { id: runId } });
    expect(runs.find((r) => r.run_id === runId)).toMatchObject({
      started_at: stored.startedAt.toISOString(),
      finished_at: stored.finishedAt.toISOString(),
      trigger: "operator",
      ratings_count: stored.ratingsCount,
      items_scored: stored.itemsScored,
      converged: stored.converged,
      mu: stored.mu,
      rmse: stored.rmse,
    });
    expect(JSON.parse(String(runs.find((r) => r.run_id === runId)!.parameters))).toEqual(stored.parameters);
  });

  it.each(FORMATS)("%s: every table is in the manifest with its rows, and the README and dictionary describe them", (format) => {
    const e = byFormat[format];
    const ext = format === "csv" ? "csv" : "jsonl";
    for (const t of ["anchor_events", "contribution_revisions", "ratings", "contribution_scores", "scoring_runs"]) {
      const f = e.manifest.files.find((x) => x.path === `${t}.${ext}`);
      expect(f, t).toBeDefined();
      expect(f!.rows, t).toBe(tableRows(e.files, t).length);
    }
    expect(e.manifest.schemaVersion).toBe("1.3");
    const readme = e.files.get("README.md")!.toString("utf8");
    expect(readme).toContain("2 ratings by readers");
    expect(readme).toMatch(/2 ratings were left out because their raters opted out/);
    const dict = e.files.get("data-dictionary.md")!.toString("utf8");
    for (const t of ["## anchor_events", "## contribution_revisions", "## ratings", "## contribution_scores", "## scoring_runs"]) expect(dict).toContain(t);
    expect(dict).toContain("largest version not above");
  });

  it("leaves the ratings, revisions and scores of contributions outside the selection out", async () => {
    const e = await exportAs(researcher, { articles: [S.slug], kinds: ["COUNTERPOINT"] }, { format: "jsonl" });
    expect(ids(e.contributions)).toEqual([untouched.id]);
    expect(tableRows(e.files, "ratings")).toEqual([]);
    expect(e.manifest.counts.ratingsOptedOutExcluded).toBe(0);
    expect(tableRows(e.files, "contribution_revisions").map((r) => r.contribution_id)).toEqual([untouched.id]);
    expect(tableRows(e.files, "contribution_scores")).toEqual([]);
    expect(tableRows(e.files, "scoring_runs")).toEqual([]);
  });
});

describe("opted-out users and deleted contributions", () => {
  it.each(["csv", "jsonl", "jsonld"] as const)("never exports them (%s), and counts the opted-out ones", async (format) => {
    const e = await exportAs(admin, { articles: [A.slug], statuses: ["PUBLISHED", "PENDING", "HIDDEN", "REJECTED"], includeModeration: true }, { format, study: adminStudy });
    const exported = ids(e.contributions);
    expect(exported).not.toContain(c.optedOut!.id);
    expect(exported).not.toContain(c.deleted!.id);
    expect(exported).toEqual(idsOf("early", "lateInDay", "source", "hidden", "rejected"));
    expect(e.manifest.counts.optedOutExcluded).toBe(1);
    expect(e.job.optedOutExcluded).toBe(1);
    // Not even as a reference from the moderation tables.
    for (const [name, bytes] of e.files) {
      expect(bytes.includes(c.optedOut!.id), name).toBe(false);
      expect(bytes.includes(c.deleted!.id), name).toBe(false);
    }
  });

  it("takes a user back in when they opt in again, and out when they opt out", async () => {
    const D = await data.article(1);
    const dora = await data.user();
    const post = await data.post(dora, D);
    const before = await exportAs(researcher, { articles: [D.slug] });
    expect(ids(before.contributions)).toEqual([post.id]);
    expect(before.job.optedOutExcluded).toBe(0);
    await updateSettings(dora, { researchOptOut: true });
    const after = await exportAs(researcher, { articles: [D.slug] });
    expect(after.contributions).toEqual([]);
    expect(after.job.optedOutExcluded).toBe(1);
    expect(after.manifest.counts.optedOutExcluded).toBe(1);
  });
});

describe("statuses other than published", () => {
  it("are refused to a researcher (403) and nothing is queued", async () => {
    const before = await db.exportJob.count({ where: { requestedById: researcher.id } });
    for (const statuses of [["HIDDEN"], ["PUBLISHED", "PENDING"], ["REJECTED"]]) {
      await appError("forbidden", () =>
        createExport(researcher, createExportSchema.parse({ studyId: study.id, format: "csv", filters: { articles: [A.slug], statuses } }), "web"),
      );
    }
    expect(await db.exportJob.count({ where: { requestedById: researcher.id } })).toBe(before);
  });

  it("are refused to readers and moderators, who may not export at all", async () => {
    for (const user of [reader, mod]) {
      await appError("forbidden", () => createExport(user, createExportSchema.parse({ studyId: study.id, format: "csv", filters: { articles: [A.slug] } }), "web"));
    }
  });

  it.each(["csv", "jsonl", "jsonld"] as const)("are exported to an admin, marked by status and publicly_visible=false (%s)", async (format) => {
    const e = await exportAs(admin, { articles: [A.slug, C.slug], statuses: ["HIDDEN", "REJECTED", "PENDING"], includeModeration: true }, { format, study: adminStudy });
    expect(ids(e.contributions)).toEqual(idsOf("hidden", "rejected", "pending"));
    const status = Object.fromEntries(e.contributions.map((x) => [x.id, [x.status, x.publiclyVisible]]));
    expect(status).toEqual({
      [c.hidden!.id]: ["HIDDEN", false],
      [c.rejected!.id]: ["REJECTED", false],
      [c.pending!.id]: ["PENDING", false],
    });
    if (format === "csv") {
      const rows = parseCsv(e.files.get("contributions.csv")!);
      expect(rows.map((r) => r.publicly_visible)).toEqual(["false", "false", "false"]);
    }
    const events = tableRows(e.files, "moderation_events");
    expect(events.map((r) => [r.contribution_id, r.action, r.from_status, r.to_status]).sort()).toEqual(
      [
        [c.hidden!.id, "HIDE", "PUBLISHED", "HIDDEN"],
        [c.rejected!.id, "REJECT", "PUBLISHED", "REJECTED"],
      ].sort(),
    );
    expect(e.manifest.requesterRole).toBe("ADMIN");
  });

  it("marks published items publicly_visible=true beside the others in one admin export", async () => {
    const e = await exportAs(admin, { articles: [A.slug], statuses: ["PUBLISHED", "HIDDEN", "REJECTED"] }, { study: adminStudy });
    const rows = parseCsv(e.files.get("contributions.csv")!);
    const visible = Object.fromEntries(rows.map((r) => [r.contribution_id, [r.status, r.publicly_visible]]));
    expect(visible).toEqual({
      [c.early!.id]: ["PUBLISHED", "true"],
      [c.lateInDay!.id]: ["PUBLISHED", "true"],
      [c.source!.id]: ["PUBLISHED", "true"],
      [c.hidden!.id]: ["HIDDEN", "false"],
      [c.rejected!.id]: ["REJECTED", "false"],
    });
  });

  it("fails a queued export whose requester lost the role before it ran, and logs the failure", async () => {
    const demoted = await data.user({ role: "RESEARCHER" });
    const s = await data.study(demoted);
    const queued = await createExport(demoted, createExportSchema.parse({ studyId: s.id, format: "csv", filters: { articles: [A.slug] } }), "api");
    await db.user.update({ where: { id: demoted.id }, data: { role: "READER" }, select: { id: true } });
    const done = await runExport(queued.id);
    expect(done.status).toBe("FAILED");
    expect(done.bundle).toBeNull();
    expect(done.error).toMatch(/no longer a researcher/);
    await expect(stat(path.join(exportDir.dir, `${queued.id}.zip`))).rejects.toThrow();
    const log = await db.moderationLog.findMany({ where: { action: "EXPORT", actorId: demoted.id } });
    expect(log).toHaveLength(1);
    expect(log[0]!.details).toMatchObject({ exportId: queued.id, status: "FAILED", via: "api" });
  });
});

describe("pseudonyms", () => {
  let first: Exported;
  let second: Exported;
  let third: Exported;
  let other: Exported;

  beforeAll(async () => {
    first = await exportAs(researcher, { articles: [A.slug] });
    second = await exportAs(researcher, { articles: [A.slug] }, { format: "jsonl" });
    third = await exportAs(researcher, { articles: [A.slug] }, { format: "jsonld" });
    other = await exportAs(researcher, { articles: [A.slug] }, { study: otherStudy });
  });

  const authorOf = (e: Exported, key: string) => e.contributions.find((x) => x.id === c[key]!.id)!.author;

  it("are HMAC-SHA256 of the user id with the study's stored key", async () => {
    const key = await data.studyKey(study.id);
    expect(authorOf(first, "early")).toBe(pseudonymOf(key, alice.id));
    expect(authorOf(first, "lateInDay")).toBe(pseudonymOf(key, bob.id));
    expect(authorOf(first, "early")).toMatch(/^[0-9a-f]{32}$/);
    expect(authorOf(first, "early")).not.toBe(authorOf(first, "lateInDay"));
  });

  it("are the same for the same person in two exports of one study (and in every format)", () => {
    for (const k of ["early", "lateInDay", "source"]) {
      expect(authorOf(second, k), k).toBe(authorOf(first, k));
      expect(authorOf(third, k), k).toBe(authorOf(first, k));
    }
    const creator = third.files.get("annotations/page-00001.jsonld")!.toString("utf8");
    expect(creator).toContain(`/research/studies/${study.id}/pseudonyms/${authorOf(first, "early")}`);
    // alice wrote two of them: one pseudonym.
    expect(authorOf(first, "early")).toBe(authorOf(first, "source"));
  });

  it("differ between studies", async () => {
    const key = await data.studyKey(otherStudy.id);
    expect(authorOf(other, "early")).toBe(pseudonymOf(key, alice.id));
    expect(authorOf(other, "early")).not.toBe(authorOf(first, "early"));
    expect(authorOf(other, "lateInDay")).not.toBe(authorOf(first, "lateInDay"));
  });

  it("come with the key's fingerprint in the manifest, never the key", async () => {
    const key = await data.studyKey(study.id);
    expect(first.manifest.pseudonymisation.keyFingerprint).toBe(keyFingerprint(key));
    expect(first.manifest.pseudonymisation.keyFingerprint).toBe(study.keyFingerprint);
    expect(other.manifest.pseudonymisation.keyFingerprint).toBe(otherStudy.keyFingerprint);
    expect(other.manifest.pseudonymisation.keyFingerprint).not.toBe(first.manifest.pseudonymisation.keyFingerprint);
    const forms = [Buffer.from(key), Buffer.from(Buffer.from(key).toString("hex")), Buffer.from(Buffer.from(key).toString("base64")), Buffer.from(Buffer.from(key).toString("base64url"))];
    for (const [name, bytes] of first.files) for (const form of forms) expect(bytes.includes(form), name).toBe(false);
  });
});

describe("no personal data in a bundle", () => {
  /** Every needle found in any file of the bundle (raw bytes), or in the zip itself. */
  function leaksIn(e: Exported, needles: [string, string][]): string[] {
    const haystacks: [string, Buffer][] = [["the zip itself", e.zip], ...e.files];
    const leaks: string[] = [];
    for (const [file, bytes] of haystacks) {
      for (const [what, value] of needles) {
        if (bytes.includes(Buffer.from(value, "utf8"))) leaks.push(`${file}: ${what} ${value}`);
        else if (bytes.includes(Buffer.from(value.toLowerCase(), "utf8"))) leaks.push(`${file}: ${what} (lower case) ${value}`);
      }
      const text = bytes.toString("latin1");
      const ip = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/.exec(text);
      if (file !== "the zip itself" && ip) leaks.push(`${file}: IPv4-like ${ip[0]}`);
      if (file !== "the zip itself" && /@test\.invalid/i.test(text)) leaks.push(`${file}: an email address`);
    }
    return leaks;
  }

  it("finds a leak when there is one (the scan is not vacuous)", async () => {
    const secret = data.secrets.find((x) => x.email === alice.email)!;
    const named = await data.study(researcher, `Study of ${secret.name}`);
    const e = await exportAs(researcher, { articles: [B.slug] }, { study: named });
    const leaks = leaksIn(e, [["name", secret.name]]);
    expect(leaks).toEqual(expect.arrayContaining([`manifest.json: name ${secret.name}`, `README.md: name ${secret.name}`]));
  });

  it.each(["csv", "jsonl", "jsonld"] as const)("no email, name, password hash, user id, IP or private note in any file (%s)", async (format) => {
    // The widest export there is: an admin, every status, moderation included, three articles.
    const e = await exportAs(
      admin,
      { articles: [A.slug, B.slug, C.slug], statuses: ["PUBLISHED", "PENDING", "HIDDEN", "REJECTED"], includeModeration: true },
      { format, study: adminStudy },
    );
    expect(e.contributions.length).toBe(7);
    const people = [alice, bob, carol, reader, mod, admin, researcher];
    const secrets = data.secrets.filter((s) => people.some((p) => p.email === s.email));
    expect(secrets).toHaveLength(people.length);
    const needles: [string, string][] = [
      ...secrets.flatMap((s): [string, string][] => [
        ["email", s.email],
        ["name", s.name],
        ["last name", s.name.split(" ")[1]!],
        ["password hash", s.passwordHash],
      ]),
      ...people.map((p): [string, string] => ["user id", p.id]),
      ["flag note", PRIVATE_FLAG_NOTE],
    ];
    const leaks = leaksIn(e, needles);
    expect(leaks).toEqual([]);
    // The opted-out user's pseudonym appears nowhere either (not even as a reporter).
    const carolPseudonym = pseudonymOf(await data.studyKey(adminStudy.id), carol.id);
    for (const [file, bytes] of e.files) expect(bytes.includes(carolPseudonym), file).toBe(false);
  });
});

describe("the manifest and SHA256SUMS match the files", () => {
  it.each(["csv", "jsonl", "jsonld"] as const)("%s: every file's sha256, bytes and rows; the zip's checksum; the stored manifest", async (format) => {
    const e = await exportAs(researcher, { articles: [A.slug, B.slug], includeModeration: true }, { format });
    const listed = e.manifest.files.map((f) => f.path);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...e.files.keys()].sort()).toEqual([...listed, "manifest.json", "SHA256SUMS"].sort());
    expect(listed).toEqual(expect.arrayContaining(["data-dictionary.md", "README.md"]));
    const tables = ["articles", "article_versions", "paragraphs", "moderation_events", "flags", ...(format === "jsonld" ? [] : ["contributions"])];
    const ext = format === "csv" ? "csv" : "jsonl";
    expect(listed).toEqual(expect.arrayContaining(tables.map((t) => `${t}.${ext}`)));
    if (format === "jsonld") expect(listed).toEqual(expect.arrayContaining(["annotations/collection.jsonld", "annotations/page-00001.jsonld"]));

    for (const f of e.manifest.files) {
      const bytes = e.files.get(f.path)!;
      expect(sha256(bytes), f.path).toBe(f.sha256);
      expect(bytes.length, f.path).toBe(f.bytes);
      let rows: number | null;
      if (f.path.endsWith(".md")) rows = null;
      else if (f.path.endsWith(".csv")) rows = parseCsv(bytes).length;
      else if (f.path.endsWith(".jsonl")) rows = parseJsonl(bytes).length;
      else if (f.path === "annotations/collection.jsonld") rows = 1;
      else rows = (JSON.parse(bytes.toString("utf8")) as { items: unknown[] }).items.length;
      expect(f.rows, f.path).toBe(rows);
    }

    // SHA256SUMS: `sha256sum -c` format, one line per file including manifest.json.
    const sums = e.files.get("SHA256SUMS")!.toString("utf8");
    expect(sums.endsWith("\n")).toBe(true);
    const lines = sums.trimEnd().split("\n");
    expect(lines.map((l) => l.slice(66)).sort()).toEqual([...listed, "manifest.json"].sort());
    for (const line of lines) {
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(sha256(e.files.get(m![2]!)!), m![2]).toBe(m![1]);
    }

    // Counts agree with the rows.
    expect(e.manifest.counts.contributions).toBe(e.contributions.length);
    expect(e.manifest.counts.contributions).toBe(4);
    expect(e.manifest.counts.articles).toBe(tableRows(e.files, "articles").length);
    expect(e.manifest.counts.articleVersions).toBe(tableRows(e.files, "article_versions").length);
    expect(e.manifest.counts.paragraphs).toBe(tableRows(e.files, "paragraphs").length);
    expect(e.manifest.counts.moderationEvents).toBe(tableRows(e.files, "moderation_events").length);
    expect(e.manifest.counts.flags).toBe(tableRows(e.files, "flags").length);
    expect(e.job.progress).toMatchObject({ percent: 100 });
    expect(e.job.progress.rowsWritten).toBe(e.job.progress.rowsTotal);

    // The zip the job points at, and the manifest the API serves.
    expect(e.job.bundle).toEqual({ sha256: sha256(e.zip), bytes: e.zip.length, url: `/api/v1/exports/${e.job.id}/download` });
    expect(await getManifest(researcher, e.job.id)).toEqual(e.manifest);
    expect(e.manifest).toMatchObject({ exportId: e.job.id, format, study: { id: study.id, name: study.name }, requesterRole: "RESEARCHER", requestedVia: "web" });
  });
});

describe("CSV exactly as written by default, the formula guard when asked for, and exact round trips", () => {
  const FORMULA = "=cmd|' /C calc'!A0";
  const RENTS = "- Rents rose 4% in 2025; that is the claim.";
  const corpus = [
    FORMULA,
    RENTS,
    "+SUM(1,2)",
    "-2+3 is not a comment",
    "@SUM(A1:A2)",
    "\tstarts with a tab",
    "\r=starts with a carriage return",
    "'already starts with a quote",
    "''two quotes",
    'She said "no", then "yes"; the ""doubled"" kind too',
    "line one\nline two\r\nline three\rline four\n",
    "Emoji 👍🏽 and a family 👨‍👩‍👧 and a flag 🇺🇦 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "RTL: مرحبا بالعالم — שלום עולם \u202Eevil\u202C and \u200Fmark",
    "  leading and trailing spaces  ",
    "a,b,c;d\te",
    "ends with a quote\"",
    "=A1 in the middle is fine: x=A1",
  ];
  let posts: ContributionDto[];
  let csv: Exported;
  let csvSafe: Exported;
  let jsonl: Exported;
  let jsonld: Exported;

  beforeAll(async () => {
    const E = await data.articleWith([
      "=SUM(A1) opens this paragraph; emoji 👍🏽 come before the claim, then «the claim itself» and more text to quote.",
      "@handle starts the second one, with \"quotes\", commas, and RTL שלום עולם in it.",
    ]);
    // Every body on the span «the claim itself», after an astral emoji (UTF-16 and code-point offsets differ).
    const text = E.paragraphs[0]!.text;
    const start = text.indexOf("«");
    const end = text.indexOf("»") + 1;
    posts = [];
    for (const body of corpus) posts.push(await createContribution(alice, E.slug, claim(E, 0, [start, end], { body })));
    // A source link whose title and note are hostile too.
    posts.push(
      await createContribution(
        alice,
        E.slug,
        claim(E, 1, "whole", {
          kind: "SOURCE",
          body: "-1 source note",
          source: { url: "https://example.org/=x?a=1,b=2", stance: "REFUTES", title: '=HYPERLINK("http://evil")' },
        }),
      ),
    );
    csv = await exportAs(researcher, { articles: [E.slug] });
    csvSafe = await exportAs(researcher, { articles: [E.slug], spreadsheetSafe: true });
    jsonl = await exportAs(researcher, { articles: [E.slug] }, { format: "jsonl" });
    jsonld = await exportAs(researcher, { articles: [E.slug] }, { format: "jsonld" });
  });

  it("writes valid UTF-8 with CRLF records", () => {
    const bytes = csv.files.get("contributions.csv")!;
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).not.toThrow();
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes.toString("utf8").startsWith("contribution_id,article_id,")).toBe(true);
    expect(bytes.toString("utf8").endsWith("\r\n")).toBe(true);
  });

  it(`by default writes every text exactly as written ("${RENTS.slice(0, 7)}…" stays), and says so`, () => {
    const rows = parseCsv(csv.files.get("contributions.csv")!);
    for (const [i, body] of corpus.entries()) expect(rows.find((r) => r.contribution_id === posts[i]!.id)!.body, JSON.stringify(body)).toBe(body);
    expect(rows.find((r) => r.contribution_id === posts[1]!.id)!.body).toBe(RENTS);
    const src = rows.find((r) => r.contribution_id === posts.at(-1)!.id)!;
    expect(src.source_title).toBe('=HYPERLINK("http://evil")');
    expect(src.body).toBe("-1 source note");
    expect(parseCsv(csv.files.get("paragraphs.csv")!)[0]!.text!.startsWith("=SUM(A1)")).toBe(true);
    expect(csv.manifest.filters.spreadsheetSafe).toBe(false);
    expect(csv.manifest.csvFormulaGuard).toBe(false);
    expect(csv.files.get("data-dictionary.md")!.toString("utf8")).toContain("Formula guard: not applied");
    expect(csv.files.get("README.md")!.toString("utf8")).toContain("exactly as written (no formula guard)");
  });

  it("accepts spreadsheetSafe for CSV only, and records it with the job and in the manifest", async () => {
    const bad = createExportSchema.safeParse({ studyId: study.id, format: "jsonl", filters: { spreadsheetSafe: true } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["filters.spreadsheetSafe"]);
    expect(createExportSchema.safeParse({ studyId: study.id, format: "csv", filters: { spreadsheetSafe: "yes" } }).success).toBe(false);
    const stored = await db.exportJob.findUniqueOrThrow({ where: { id: csvSafe.job.id }, select: { filters: true } });
    expect(stored.filters).toMatchObject({ spreadsheetSafe: true });
    expect(csvSafe.job.filters.spreadsheetSafe).toBe(true);
    expect(csvSafe.manifest.csvFormulaGuard).toBe(true);
    expect(csvSafe.files.get("data-dictionary.md")!.toString("utf8")).toMatch(/Formula guard: applied.*remove one leading `'`/);
    expect(jsonl.manifest).toMatchObject({ csvFormulaGuard: false, filters: { spreadsheetSafe: false } });
  });

  it(`with spreadsheetSafe: guards ${FORMULA} as '${FORMULA} and unguards it back exactly`, () => {
    const raw = csvSafe.files.get("contributions.csv")!.toString("utf8");
    expect(raw).toContain(`'${FORMULA}`);
    expect(raw).not.toMatch(/(^|,)=cmd/m);
    const row = parseCsv(csvSafe.files.get("contributions.csv")!).find((r) => r.contribution_id === posts[0]!.id)!;
    expect(row.body).toBe(`'${FORMULA}`);
    expect(unguard(row.body)).toBe(FORMULA);
  });

  it("with spreadsheetSafe: guards every text value that starts with = + - @ tab CR or ' — and nothing else", () => {
    const rows = parseCsv(csvSafe.files.get("contributions.csv")!);
    for (const [i, body] of corpus.entries()) {
      const row = rows.find((r) => r.contribution_id === posts[i]!.id)!;
      const guarded = /^[=+\-@\t\r']/.test(body);
      expect(row.body, JSON.stringify(body)).toBe(guarded ? `'${body}` : body);
    }
    // Any field a spreadsheet could run starts with the guard.
    for (const r of rows) {
      for (const [col, v] of Object.entries(r)) if (v !== null) expect(/^[=+\-@\t\r]/.test(v), `${col}: ${JSON.stringify(v)}`).toBe(false);
    }
    const src = rows.find((r) => r.contribution_id === posts.at(-1)!.id)!;
    expect(src.source_title).toBe(`'=HYPERLINK("http://evil")`);
    expect(src.body).toBe("'-1 source note");
    expect(src.stance).toBe("REFUTES");
    // Generated values are never guarded: ids, enums, numbers, timestamps.
    expect(src.kind).toBe("SOURCE");
    expect(src.created_at).toMatch(/^\d{4}-/);
  });

  it("round-trips every body byte for byte through csv-parse (as is, and after unguarding a spreadsheet-safe one) and through JSONL and JSON-LD", async () => {
    const rows = parseCsv(csv.files.get("contributions.csv")!);
    const safeRows = parseCsv(csvSafe.files.get("contributions.csv")!);
    const lines = parseJsonl(jsonl.files.get("contributions.jsonl")!);
    const stored = await db.contribution.findMany({ where: { id: { in: posts.map((p) => p.id) } }, select: { id: true, body: true } });
    expect(stored).toHaveLength(corpus.length + 1);
    for (const [i, body] of corpus.entries()) {
      const id = posts[i]!.id;
      expect(stored.find((s) => s.id === id)!.body, "stored as sent").toBe(body);
      const fromCsv = rows.find((r) => r.contribution_id === id)!.body;
      expect(Buffer.from(fromCsv!, "utf8").equals(Buffer.from(body, "utf8")), `CSV ${JSON.stringify(body)} -> ${JSON.stringify(fromCsv)}`).toBe(true);
      const fromSafe = unguard(safeRows.find((r) => r.contribution_id === id)!.body);
      expect(Buffer.from(fromSafe!, "utf8").equals(Buffer.from(body, "utf8")), `safe CSV ${JSON.stringify(body)} -> ${JSON.stringify(fromSafe)}`).toBe(true);
      expect(lines.find((l) => l.contribution_id === id)!.body, "JSONL").toBe(body);
      expect(jsonld.contributions.find((x) => x.id === id)!.body, "JSON-LD").toBe(body);
    }
    expect(rows).toHaveLength(corpus.length + 1);
    expect(safeRows).toHaveLength(corpus.length + 1);
    expect(lines).toHaveLength(corpus.length + 1);
  });

  it("round-trips the annotated paragraphs and quotes exactly, and counts positions in code points", () => {
    const paragraphs = parseCsv(csvSafe.files.get("paragraphs.csv")!);
    const jsonParagraphs = parseJsonl(jsonl.files.get("paragraphs.jsonl")!);
    const texts = jsonParagraphs.map((p) => p.text as string);
    expect(paragraphs.map((p) => unguard(p.text))).toEqual(texts);
    expect(parseCsv(csv.files.get("paragraphs.csv")!).map((p) => p.text)).toEqual(texts);
    expect(texts[0]!.startsWith("=SUM(A1)")).toBe(true);
    expect(paragraphs[0]!.text!.startsWith("'=SUM(A1)")).toBe(true);
    expect(paragraphs[1]!.text!.startsWith("'@handle")).toBe(true);
    expect(jsonParagraphs.map((p) => p.length)).toEqual(texts.map((t) => [...t].length));

    // A span after the emoji: code-point offsets are smaller than UTF-16 ones by the astral characters before it.
    const rows = parseCsv(csvSafe.files.get("contributions.csv")!);
    const spans = rows.filter((x) => x.whole_paragraph === "false");
    expect(spans).toHaveLength(corpus.length);
    expect(Number(spans[0]!.start)).toBe(Number(spans[0]!.start_utf16) - 2); // 👍🏽 is two code points, four UTF-16 units
    for (const r of spans) {
      const text = texts[0]!;
      const s16 = Number(r.start_utf16);
      const e16 = Number(r.end_utf16);
      expect(Number(r.start)).toBe([...text.slice(0, s16)].length);
      expect(Number(r.end)).toBe([...text.slice(0, e16)].length);
      expect(unguard(r.quote_exact)).toBe(text.slice(s16, e16));
    }
  });
});

describe("downloads and expiry", () => {
  let e: Exported;
  beforeAll(async () => {
    e = await exportAs(researcher, { articles: [A.slug] }, { format: "jsonl" });
  });

  it("gives the same bytes and sha256 on every download", async () => {
    const one = await bundleForDownload(researcher, e.job.id);
    const bytes1 = await readFile(one.path);
    const two = await bundleForDownload(researcher, e.job.id);
    const bytes2 = await readFile(two.path);
    expect(two).toEqual(one);
    expect(bytes1.equals(bytes2)).toBe(true);
    expect(sha256(bytes1)).toBe(one.sha256);
    expect(one).toMatchObject({ sha256: e.job.bundle!.sha256, bytes: e.job.bundle!.bytes, name: `research-export-${e.job.id}.zip` });
    expect(bytes1.length).toBe(one.bytes);
    expect(bytes1.equals(e.zip)).toBe(true);
  });

  it("is kept until it expires, then deleted and answered 410 gone", async () => {
    // Only this job expires at this (past) time, so other files' exports are untouched.
    const at = new Date("2001-01-01T00:00:00.000Z");
    await db.exportJob.update({ where: { id: e.job.id }, data: { expiresAt: at }, select: { id: true } });
    const file = path.join(exportDir.dir, `${e.job.id}.zip`);

    await expireExports(new Date(at.getTime() - 1));
    expect((await db.exportJob.findUniqueOrThrow({ where: { id: e.job.id } })).status).toBe("SUCCEEDED");
    expect((await stat(file)).size).toBe(e.job.bundle!.bytes);

    expect(await expireExports(new Date(at.getTime() + 86_400_000))).toBeGreaterThanOrEqual(1);
    expect((await db.exportJob.findUniqueOrThrow({ where: { id: e.job.id } })).status).toBe("EXPIRED");
    await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });

    await appError("gone", () => bundleForDownload(researcher, e.job.id));
    const dto = await getExport(researcher, e.job.id);
    expect(dto).toMatchObject({ status: "EXPIRED", bundle: null });
  });

  it("answers 409 for a job that has not run yet", async () => {
    const queued = await createExport(researcher, createExportSchema.parse({ studyId: study.id, format: "csv", filters: { articles: [B.slug] } }), "web");
    await appError("conflict", () => bundleForDownload(researcher, queued.id));
    await appError("conflict", () => getManifest(researcher, queued.id));
    const done = await runExport(queued.id);
    expect(done.status).toBe("SUCCEEDED");
    await appError("conflict", () => runExport(queued.id));
  });
});

describe("who may see a job", () => {
  let theirs: Exported;
  beforeAll(async () => {
    const s = await data.study(otherResearcher);
    theirs = await exportAs(otherResearcher, { articles: [A.slug] }, { study: s });
  });

  it("hides another researcher's job (404) from a researcher", async () => {
    await appError("not_found", () => getExport(researcher, theirs.job.id));
    await appError("not_found", () => getManifest(researcher, theirs.job.id));
    await appError("not_found", () => bundleForDownload(researcher, theirs.job.id));
    const mine = await listExports(researcher, { limit: 100 });
    expect(mine.items.map((j) => j.id)).not.toContain(theirs.job.id);
    expect(mine.items.length).toBeGreaterThan(0);
    const own = await listExports(otherResearcher, { limit: 100 });
    expect(own.items.map((j) => j.id)).toContain(theirs.job.id);
  });

  it("shows it to an admin", async () => {
    expect((await getExport(admin, theirs.job.id)).id).toBe(theirs.job.id);
    expect(await getManifest(admin, theirs.job.id)).toEqual(theirs.manifest);
    expect((await bundleForDownload(admin, theirs.job.id)).sha256).toBe(theirs.job.bundle!.sha256);
  });

  it("refuses another researcher's study (404) and readers (403)", async () => {
    const s = await data.study(otherResearcher);
    await appError("not_found", () => createExport(researcher, createExportSchema.parse({ studyId: s.id, format: "csv", filters: { articles: [A.slug] } }), "web"));
    await appError("forbidden", () => getExport(reader, theirs.job.id));
  });
});

describe("the audit log", () => {
  it("has one EXPORT row per export: who, filters, counts and checksum", async () => {
    const e = await exportAs(researcher, { articles: [A.slug], kinds: ["ANNOTATION", "SOURCE"], includeModeration: true }, { format: "jsonld" });
    const rows = (await db.moderationLog.findMany({ where: { action: "EXPORT", actorId: researcher.id } })).filter(
      (r) => (r.details as { exportId?: string } | null)?.exportId === e.job.id,
    );
    expect(rows).toHaveLength(1);
    const log = rows[0]!;
    expect(log).toMatchObject({ actorId: researcher.id, contributionId: null, targetUserId: null, fromStatus: null, toStatus: null });
    expect(log.reason).toMatch(/Research export/);
    expect(log.createdAt.getTime()).toBeGreaterThanOrEqual(new Date(e.job.createdAt).getTime());
    expect(log.details).toEqual({
      exportId: e.job.id,
      studyId: study.id,
      format: "jsonld",
      via: "web",
      filters: e.job.filters,
      status: "SUCCEEDED",
      counts: e.manifest.counts,
      sha256: e.job.bundle!.sha256,
      bytes: e.job.bundle!.bytes,
    });
    expect(e.job.filters).toMatchObject({ articles: [A.slug], kinds: ["ANNOTATION", "SOURCE"], statuses: ["PUBLISHED"], includeModeration: true });
    expect(e.manifest.counts).toMatchObject({ contributions: 2, optedOutExcluded: 1, flags: 1, moderationEvents: 1 });
  });
});
