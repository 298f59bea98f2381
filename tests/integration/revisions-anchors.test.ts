import { describe, expect, it } from "vitest";
import { loadContent } from "@/lib/content/load-content";
import { articleHistory, listVersions } from "@/lib/content/list-versions";
import { parseArticle } from "@/lib/content/parse-article";
import { oldAnchorMap, resolveAnchor } from "@/lib/content/resolve-anchor";
import { articleSource, latestVersion, suffix, testDataWithUser } from "./support/fixtures";
import { appError } from "./support/moderation";

/**
 * The versions API (lib/content/list-versions.ts) and old anchors (lib/content/resolve-anchor.ts)
 * across two revisions: a split, a merge, a deletion, an edit and an insertion.
 */

const t = testDataWithUser();

const A = "The council's own budget documents tell a different story about the projected savings and where they went.";
const B1 = "Supporters of the closure argue that circulation had fallen by a third over a decade of decline.";
const B2 = "That argument ignores the cut in opening hours that the council itself ordered three years earlier.";
const C = "Residents collected four thousand signatures in a month, more than any petition in the borough's history.";
const D = "The petition asked for the full audit to be published before any further closures were approved.";
const E = "The council should reopen the branch while the audit is reviewed by an independent panel of experts.";

async function load(slug: string, paragraphs: string[]) {
  await loadContent(t.db, [parseArticle(slug, articleSource("Anchors", paragraphs))]);
  return latestVersion(t.db, slug);
}

async function threeVersions() {
  const slug = `test-anchors-${suffix()}`;
  t.data.track(slug);
  const v1 = await load(slug, [A, `${B1} ${B2}`, C, D, E]);
  // v2: B is split in two, C and D are merged.
  const v2 = await load(slug, [A, B1, B2, `${C} ${D}`, E]);
  // v3: A is deleted, B1 edited, a new paragraph inserted at the end.
  const B1e = B1.replace("a third", "a quarter");
  const F = "A spokesperson for the council declined to comment on the petition or on the audit's timetable.";
  const v3 = await load(slug, [B1e, B2, `${C} ${D}`, E, F]);
  return { slug, v1, v2, v3 };
}

const anchor = (v: { paragraphs: { anchorId: string }[] }, i: number) => v.paragraphs[i]!.anchorId;

describe("resolving an anchor of any version", () => {
  it("follows the lineage forward: split → several, merge → one, deleted → none with its version", async () => {
    const { slug, v1, v2, v3 } = await threeVersions();
    // A: unchanged in v2, deleted in v3.
    expect(await resolveAnchor(slug, anchor(v1, 0))).toEqual({ current: [], deletedIn: 3, version: 3 });
    // B (v1): split into B1 (edited in v3) and B2.
    expect(await resolveAnchor(slug, anchor(v1, 1))).toEqual({ current: [anchor(v3, 0), anchor(v3, 1)], deletedIn: null, version: 3 });
    // C and D (v1): merged into one paragraph.
    expect(await resolveAnchor(slug, anchor(v1, 2))).toEqual({ current: [anchor(v3, 2)], deletedIn: null, version: 3 });
    expect(await resolveAnchor(slug, anchor(v1, 3))).toEqual({ current: [anchor(v3, 2)], deletedIn: null, version: 3 });
    // B1 of v2, edited in v3.
    expect(await resolveAnchor(slug, anchor(v2, 1))).toEqual({ current: [anchor(v3, 0)], deletedIn: null, version: 3 });
    // A current anchor resolves to itself.
    expect(await resolveAnchor(slug, anchor(v3, 3))).toEqual({ current: [anchor(v3, 3)], deletedIn: null, version: 3 });
    // The lineage the loader stored is what we expect (split and merge, not edits).
    const kinds = await t.db.paragraphLineage.findMany({ where: { toVersionId: v2.versionId }, select: { kind: true } });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["MERGED", "MERGED", "SPLIT", "SPLIT", "UNCHANGED", "UNCHANGED"]);
  });

  it("answers 404 for an anchor the article never had and for an unknown article", async () => {
    const { slug } = await threeVersions();
    await appError("not_found", () => resolveAnchor(slug, "p-never-was-abc123"));
    await appError("not_found", () => resolveAnchor(`missing-${suffix()}`, "p-x"));
  });

  it("maps every old anchor for the article page: first successor, or the version it was deleted in", async () => {
    const { v1, v2, v3 } = await threeVersions();
    expect(await oldAnchorMap(v3.articleId)).toEqual({
      [anchor(v1, 0)]: { deletedIn: 3 },
      [anchor(v1, 1)]: { to: anchor(v3, 0) },
      [anchor(v1, 2)]: { to: anchor(v3, 2) },
      [anchor(v1, 3)]: { to: anchor(v3, 2) },
      [anchor(v2, 1)]: { to: anchor(v3, 0) },
    });
  });
});

describe("listing versions", () => {
  it("lists them newest first with source and paragraph change counts against the version before", async () => {
    const { slug } = await threeVersions();
    const versions = await listVersions(slug);
    expect(versions.map((v) => ({ number: v.number, source: v.source, paragraphs: v.paragraphs, title: v.title }))).toEqual([
      { number: 3, source: "FILE", paragraphs: 5, title: "Anchors" },
      { number: 2, source: "FILE", paragraphs: 5, title: "Anchors" },
      { number: 1, source: "FILE", paragraphs: 5, title: "Anchors" },
    ]);
    expect(versions[0]!.changes).toEqual({ unchanged: 3, moved: 0, edited: 1, split: 0, merged: 0, deleted: 1, inserted: 1 });
    expect(versions[1]!.changes).toEqual({ unchanged: 2, moved: 0, edited: 0, split: 1, merged: 2, deleted: 0, inserted: 0 });
    expect(versions[2]!.changes).toBeNull();
    expect(versions[0]!.createdAt).toBeInstanceOf(Date);
    await appError("not_found", () => listVersions(`missing-${suffix()}`));
  });

  it("gives the history page each change with its predecessor text and a word-level diff", async () => {
    const { slug, v1, v2, v3 } = await threeVersions();
    const history = await articleHistory(slug);
    const [h3, h2, h1] = history.versions;
    expect(h1!.changed).toEqual([]);
    expect(h2!.changed.map((c) => ({ kind: c.kind, before: c.before.map((p) => p.anchorId), after: c.after.map((p) => p.anchorId) }))).toEqual([
      { kind: "split", before: [anchor(v1, 1)], after: [anchor(v2, 1), anchor(v2, 2)] },
      { kind: "merged", before: [anchor(v1, 2), anchor(v1, 3)], after: [anchor(v2, 3)] },
    ]);
    expect(h3!.changed.map((c) => c.kind)).toEqual(["deleted", "edited", "inserted"]);
    expect(h3!.changed[0]).toMatchObject({ before: [{ anchorId: anchor(v1, 0), text: A }], diff: [{ op: "del", text: A }] });
    expect(h3!.changed[1]!.diff.filter((d) => d.op !== "same")).toEqual([
      { op: "del", text: "third" },
      { op: "ins", text: "quarter" },
    ]);
    expect(h3!.changed[2]!.after[0]!.anchorId).toBe(anchor(v3, 4));
  });
});
