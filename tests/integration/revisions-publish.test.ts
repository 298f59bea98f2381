import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { createArticle } from "@/lib/content/create-article";
import { getArticle } from "@/lib/content/get-article";
import { previewRevision, publishRevision, revisionEditor } from "@/lib/content/revise-article";
import { revisionInputSchema, type RevisionInput } from "@/lib/content/revision-input";
import { getDb, type Db } from "@/lib/db/client";
import { claim, latestVersion, suffix } from "./support/fixtures";
import { appError, moderationData, type TestUser } from "./support/moderation";

/**
 * An admin publishes a revision (/admin/articles/<slug>, POST …/revision): the new version, its
 * lineage, every contribution's new anchoring and the ARTICLE_REVISE audit entry appear together
 * or not at all; a stale base gets 409, an unchanged text 422, a non-admin 403; the preview
 * stores nothing.
 */

// Re-anchoring that fails midway when asked to: after it has written the lineage and the anchorings.
const failing = vi.hoisted(() => ({ on: false }));
vi.mock("@/lib/anchoring/reanchor-version", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/anchoring/reanchor-version")>();
  return {
    ...real,
    reanchorVersion: async (...args: Parameters<typeof real.reanchorVersion>) => {
      const summary = await real.reanchorVersion(...args);
      if (failing.on) throw new Error("re-anchoring failed midway (test)");
      return summary;
    },
  };
});

let db: Db;
let data: ReturnType<typeof moderationData>;
let admin: TestUser;
let mod: TestUser;
let reader: TestUser;

const P = [
  "The council's own budget documents tell a different story: only 12 percent of the projected savings were ever allocated.",
  "Supporters of the closure argue that circulation had fallen by a third over a decade.",
  "The council should reopen the branch and publish the full audit before any further closures are approved.",
];

async function article() {
  const slug = `revise-${suffix()}`;
  data.track(slug);
  await createArticle(admin, { slug, title: "A revised article", section: "Test", body: P.join("\n\n") });
  const v1 = await latestVersion(db, slug);
  const q = "only 12 percent of the projected savings";
  const contributions = [
    await createContribution(reader, slug, claim(v1, 0, [P[0]!.indexOf(q), P[0]!.indexOf(q) + q.length])),
    await createContribution(reader, slug, claim(v1, 1, "whole")),
    await createContribution(reader, slug, claim(v1, 2, "whole")),
  ];
  return { slug, v1, contributions };
}

const edit = (over: Partial<RevisionInput> = {}): RevisionInput =>
  revisionInputSchema.parse({ baseVersion: 1, title: "A revised article", section: "Test", body: [P[0]!.replace("12 percent", "14 percent"), P[2]!].join("\n\n"), ...over });

async function counts(slug: string) {
  const a = await db.article.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  return {
    versions: await db.articleVersion.count({ where: { articleId: a.id } }),
    lineage: await db.paragraphLineage.count({ where: { toVersion: { articleId: a.id } } }),
    anchorings: await db.contributionAnchoring.count({ where: { version: { articleId: a.id } } }),
    log: await db.moderationLog.count({ where: { action: "ARTICLE_REVISE", details: { path: ["slug"], equals: slug } } }),
  };
}

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  admin = await data.user({ role: "ADMIN", name: "Revising Admin" });
  mod = await data.user({ role: "MODERATOR" });
  reader = await data.user();
});

afterAll(async () => {
  await data?.cleanup();
});

describe("publishing a revision", () => {
  it("stores the next version (source ADMIN) with every contribution re-anchored, and the summary", async () => {
    const { slug, contributions } = await article();
    const published = await publishRevision(admin, slug, edit());
    expect(published).toEqual({
      slug,
      title: "A revised article",
      versionNumber: 2,
      previousVersion: 1,
      paragraphs: 2,
      reanchored: { version: 2, exact: 1, fuzzy: 1, orphaned: 1 },
    });
    const v2 = await db.articleVersion.findFirstOrThrow({ where: { article: { slug }, number: 2 }, select: { id: true, source: true } });
    expect(v2.source).toBe("ADMIN");
    const anchorings = await db.contributionAnchoring.findMany({ where: { versionId: v2.id }, select: { contributionId: true, method: true } });
    expect(Object.fromEntries(anchorings.map((a) => [a.contributionId, a.method]))).toEqual({
      [contributions[0]!.id]: "FUZZY",
      [contributions[1]!.id]: "ORPHANED",
      [contributions[2]!.id]: "EXACT",
    });
    expect((await getArticle(slug))?.paragraphs.map((p) => p.text)).toEqual([P[0]!.replace("12 percent", "14 percent"), P[2]!]);
  });

  it("writes one ARTICLE_REVISE audit entry in the same transaction", async () => {
    const { slug } = await article();
    await publishRevision(admin, slug, edit());
    const logs = await db.moderationLog.findMany({ where: { action: "ARTICLE_REVISE", details: { path: ["slug"], equals: slug } } });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      actorId: admin.id,
      actorRole: "ADMIN",
      contributionId: null,
      details: { slug, version: 2, previousVersion: 1, paragraphs: 2, reanchored: { exact: 1, fuzzy: 1, orphaned: 1 } },
    });
  });

  it("writes nothing when re-anchoring fails midway: no version, lineage, anchoring or log entry", async () => {
    const { slug } = await article();
    const before = await counts(slug);
    failing.on = true;
    try {
      await expect(publishRevision(admin, slug, edit())).rejects.toThrow(/failed midway/);
    } finally {
      failing.on = false;
    }
    expect(await counts(slug)).toEqual(before);
    expect(before).toEqual({ versions: 1, lineage: 0, anchorings: 0, log: 0 });
    // …and the same revision publishes once re-anchoring works.
    await publishRevision(admin, slug, edit());
    expect(await counts(slug)).toMatchObject({ versions: 2, lineage: 3, anchorings: 3, log: 1 });
  });

  it("refuses a revision based on an older version (409, two admins) and changes nothing", async () => {
    const { slug } = await article();
    const other = await data.user({ role: "ADMIN" });
    await publishRevision(other, slug, edit());
    const before = await counts(slug);
    const err = await appError("stale", () => publishRevision(admin, slug, edit({ body: "A different edit of version one." })));
    expect(err.message).toMatch(/you edited version 1, and version 2 has been published since/);
    expect(err.details?.current).toEqual({ version: 2 });
    expect(await counts(slug)).toEqual(before);
    // The preview says so too.
    await appError("stale", () => previewRevision(admin, slug, edit({ body: "A different edit of version one." })));
  });

  it("lets only one of two simultaneous publishes on the same base through; the other gets 409", async () => {
    const { slug } = await article();
    const results = await Promise.allSettled([
      publishRevision(admin, slug, edit({ body: "First admin's text." })),
      publishRevision(admin, slug, edit({ body: "Second admin's text." })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatchObject({ code: "stale" });
    expect(await counts(slug)).toMatchObject({ versions: 2, log: 1 });
  });

  it("refuses an unchanged text (422 'nothing changed') and writes nothing", async () => {
    const { slug } = await article();
    const before = await counts(slug);
    const err = await appError("validation", () => publishRevision(admin, slug, edit({ body: P.join("\n\n") })));
    expect(err.message).toMatch(/^Nothing changed/);
    expect(await counts(slug)).toEqual(before);
    // The editor's own reconstruction of the current text is exactly "unchanged".
    const editor = await revisionEditor(admin, slug);
    expect(editor.source).toEqual({ baseVersion: 1, fields: { title: "A revised article", publisher: "", section: "Test", caption: "", credit: "", note: "", author: "", date: "" }, body: P.join("\n\n") });
    await appError("validation", () => publishRevision(admin, slug, edit({ body: editor.source.body })));
  });

  it("is for admins only (403 for moderators and readers), 404 for an unknown article", async () => {
    const { slug } = await article();
    const before = await counts(slug);
    await appError("forbidden", () => publishRevision(mod, slug, edit()));
    await appError("forbidden", () => publishRevision(reader, slug, edit()));
    await appError("forbidden", () => previewRevision(reader, slug, edit()));
    await appError("forbidden", () => revisionEditor(mod, slug));
    await appError("not_found", () => publishRevision(admin, `missing-${suffix()}`, edit()));
    expect(await counts(slug)).toEqual(before);
  });

  it("validates at the boundary: a base version, a title and a body are required; no unknown fields", () => {
    const bad = [
      { title: "T", body: "B" },
      { baseVersion: 0, title: "T", body: "B" },
      { baseVersion: "1", title: "T", body: "B" },
      { baseVersion: 1, title: "", body: "B" },
      { baseVersion: 1, title: "T", body: "   " },
      { baseVersion: 1, title: "T", body: "B", slug: "another-slug" },
    ];
    for (const b of bad) expect(revisionInputSchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
  });
});

describe("previewing a revision", () => {
  it("shows each changed paragraph with a word-level diff and stores nothing", async () => {
    const { slug } = await article();
    const before = await counts(slug);
    const preview = await previewRevision(admin, slug, edit({ title: "A corrected article" }));
    expect(preview.baseVersion).toBe(1);
    expect(preview.counts).toEqual({ before: 3, after: 2 });
    expect(preview.fields).toEqual([{ field: "title", before: "A revised article", after: "A corrected article" }]);
    expect(preview.paragraphs.map((c) => c.kind)).toEqual(["edited", "deleted"]);
    const edited = preview.paragraphs[0]!;
    expect(edited.diff.filter((d) => d.op !== "same")).toEqual([
      { op: "del", text: "12" },
      { op: "ins", text: "14" },
    ]);
    expect(preview.paragraphs[1]).toMatchObject({ before: [{ text: P[1] }], after: [], diff: [{ op: "del", text: P[1] }] });
    expect(await counts(slug)).toEqual(before);
  });
});
