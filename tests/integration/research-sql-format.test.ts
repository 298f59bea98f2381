import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { createReply } from "@/lib/annotations/create-reply";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { databaseKind, getDb, type Db } from "@/lib/db/client";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { rateContribution } from "@/lib/ratings/rate-contribution";
import type { ExportDto } from "@/lib/research/export-job";
import { writeBundle } from "@/lib/research/bundle";
import { exportFiltersSchema, type ExportFormatName } from "@/lib/research/schemas";
import type { StudyDto } from "@/lib/research/studies";
import { updateSettings } from "@/lib/users/settings";
import { claim, type LoadedArticle } from "./support/fixtures";
import type { TestUser } from "./support/moderation";
import { readBundle, researchData, useTempExportDir } from "./support/research";

/**
 * On a PostgreSQL server the streamed tables' rows are formatted by PostgreSQL (COPY's own CSV,
 * or one JSON line per row: lib/research/sql-format.ts, docs/decisions/0048); the JavaScript path
 * (tables.ts value(), csv.ts, table-writer.ts) still writes them on the embedded database. Both
 * must give the same bytes: here the same bundle is written both ways, on data made to differ
 * where the two could (astral characters before, inside and at the edges of a claim's context,
 * text a formula guard touches, quotes, commas and line breaks, empty and missing values,
 * opted-out authors, raters and reporters, automatic and human moderation, replies, edits).
 */

let db: Db;
let data: ReturnType<typeof researchData>;
let exportDir: Awaited<ReturnType<typeof useTempExportDir>>;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let mod: TestUser;
let study: StudyDto;
let E: LoadedArticle;
let F: LoadedArticle;

beforeAll(async () => {
  exportDir = await useTempExportDir();
  db = await getDb();
  data = researchData(db);
  alice = await data.user();
  bob = await data.user();
  carol = await data.user();
  mod = await data.user({ role: "MODERATOR" });
  const researcher = await data.user({ role: "RESEARCHER" });
  study = await data.study(researcher);
  // An astral character (🙂) 32 UTF-16 units before the claim and another one 32 after it: the
  // quote context is cut between the two halves of each; 👍🏽 (two astral code points) inside.
  E = await data.articleWith([
    `x🙂${"a".repeat(31)}CLAIM${"b".repeat(31)}🙂z and 👍🏽 inside «a second claim» near the end.`,
    "=SUM(A1) starts a plain paragraph, with \"quotes\", commas, and RTL שלום in it.",
  ]);
  F = await data.articleWith(["Another article's only paragraph, without anything astral."]);
  const t = E.paragraphs[0]!.text;
  const bodies = [
    "=1+1",
    "'already quoted",
    "-minus, with a comma",
    "+plus \"and quotes\"",
    "@at\r\nwith CRLF",
    "\ttab first",
    "line\nbreak and emoji 🙂",
    "plain",
    'back\\slash and \u0001 control',
  ];
  const posts = [];
  for (const [i, body] of bodies.entries()) {
    const span: [number, number] = i % 3 === 0 ? [t.indexOf("CLAIM"), t.indexOf("CLAIM") + 5] : i % 3 === 1 ? [t.indexOf("«"), t.indexOf("»") + 1] : [0, 3];
    posts.push(await createContribution(i % 2 ? alice : bob, E.slug, claim(E, 0, span, { body, kind: i % 2 ? "COUNTERPOINT" : "ANNOTATION" })));
  }
  posts.push(await createContribution(alice, E.slug, claim(E, 1, "whole", { kind: "SOURCE", body: "-1 source note", source: { url: "https://example.org/=x?a=1,b=2", stance: "REFUTES", title: '=HYPERLINK("x")' } })));
  const src = await createContribution(bob, F.slug, claim(F, 0, "whole", { kind: "SOURCE", body: "A note.", source: { url: "https://www.example.org/y", stance: "CONTEXT" } }));
  await updateContribution(bob, src.id, {
    version: src.version,
    body: "- edited, \"quoted\"",
    source: { url: "https://www.example.org/y", stance: "SUPPORTS", title: "T", doi: "10.1234/abc", archiveUrl: "https://web.archive.example/y", quote: "@quoted passage" },
  });
  const reply = await createReply(carol, posts[0]!.id, { kind: "COUNTERPOINT", body: "=a reply" });
  await createReply(alice, reply.id, { kind: "ANNOTATION", body: "deeper" });
  await rateContribution(carol, posts[1]!.id, { value: "HELPFUL", tags: ["CLEAR", "CITES_GOOD_SOURCES"] });
  await rateContribution(bob, posts[1]!.id, { value: "SOMEWHAT_HELPFUL", tags: [] });
  await rateContribution(alice, src.id, { value: "NOT_HELPFUL", tags: ["OFF_TOPIC"] });
  await flagContribution(carol, posts[2]!.id, { reason: "SPAM", note: "private" });
  await flagContribution(bob, posts[3]!.id, { reason: "OFF_TOPIC" });
  await decide(mod, "HIDE", [{ id: posts[4]!.id, version: 1 }], "=Hidden, \"see\" the rules");
  await decide(mod, "KEEP", [{ id: posts[3]!.id, version: 1 }], "Kept");
  // Carol opts out after writing, rating and reporting: her rows go, or lose her pseudonym.
  await updateSettings(carol, { researchOptOut: true });
});

afterAll(async () => {
  const jobs = await db.exportJob.findMany({ where: { studyId: study?.id }, select: { id: true } });
  await db.exportJob.deleteMany({ where: { id: { in: jobs.map((j) => j.id) } } });
  await data?.cleanup();
  await exportDir?.remove();
});

async function bundle(format: ExportFormatName, filters: unknown, sqlFormatting: boolean) {
  const exportId = randomUUID();
  const key = await data.studyKey(study.id);
  await writeBundle(
    {
      exportId,
      requestedAt: new Date("2026-12-04T00:00:00.000Z"),
      study: { id: study.id, name: study.name, key },
      format,
      filters: exportFiltersSchema.parse(filters),
      requestedVia: "cli",
      requesterRole: null,
    },
    exportDir.dir,
    async () => undefined,
    { sqlFormatting },
  );
  return readBundle(exportDir.dir, { id: exportId } as ExportDto);
}

const tablesOf = (files: Map<string, Buffer>, ext: string) => [...files].filter(([name]) => name.endsWith(ext) && !name.startsWith("annotations"));

describe("rows formatted by PostgreSQL", () => {
  it.each([
    ["csv", { spreadsheetSafe: false }],
    ["csv", { spreadsheetSafe: true }],
    ["jsonl", {}],
    ["jsonld", {}],
  ] as const)("%s %j: every table file is byte for byte what the JavaScript path writes", async (format, extra) => {
    const filters = { articles: [E.slug, F.slug], statuses: ["PUBLISHED", "PENDING", "HIDDEN", "REJECTED"], includeModeration: true, ...extra };
    const sql = await bundle(format, filters, true);
    const js = await bundle(format, filters, false);
    const ext = format === "csv" ? ".csv" : ".jsonl";
    const tables = tablesOf(sql.files, ext);
    expect(tables.map(([name]) => name).sort()).toEqual(tablesOf(js.files, ext).map(([name]) => name).sort());
    expect(tables.length).toBeGreaterThanOrEqual(10);
    for (const [name, bytes] of tables) expect(bytes.toString("utf8"), `${format} ${name} (${databaseKind()})`).toBe(js.files.get(name)!.toString("utf8"));
    expect(sql.manifest.counts).toEqual(js.manifest.counts);
    // The tables' entries (README.md and the JSON-LD pages name the export's own id).
    const entries = (m: typeof sql.manifest) => m.files.filter((f) => f.path.endsWith(ext) && !f.path.startsWith("annotations")).map((f) => [f.path, f.rows, f.sha256]);
    expect(entries(sql.manifest)).toEqual(entries(js.manifest));
    // The data is what it was made to be (so the comparison compares something).
    const contributions = sql.files.get(format === "jsonld" ? "annotations/page-00001.jsonld" : `contributions${ext}`)!.toString("utf8");
    expect(contributions).toContain("🙂");
    expect(sql.manifest.counts).toMatchObject({ contributions: 12, ratings: 2, flags: 2, ratingsOptedOutExcluded: 1 });
  });
});
