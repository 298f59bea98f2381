import { describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { loadContent } from "@/lib/content/load-content";
import { parseArticle } from "@/lib/content/parse-article";
import { articleSource, claim, latestVersion, suffix, testDataWithUser } from "./support/fixtures";

/** Re-anchoring as the loader does it: across several versions, atomically, concurrently. */

const t = testDataWithUser();

const P = [
  "The council's own budget documents tell a different story: only 12 percent of the projected savings were ever allocated.",
  "Supporters of the closure argue that circulation had fallen by a third over a decade, which ignores the cut in opening hours.",
  "The council should reopen the branch and publish the full audit before any further closures are approved.",
];

async function load(slug: string, paragraphs: string[], title = "Versions") {
  return loadContent(t.db, [parseArticle(slug, articleSource(title, paragraphs))]);
}

const anchoringOf = (contributionId: string, versionId: string) =>
  t.db.contributionAnchoring.findUniqueOrThrow({ where: { contributionId_versionId: { contributionId, versionId } } });

describe("re-anchoring across several versions", () => {
  it("starts from the author's quote each time, keeps sinceVersion while nothing moves, and keeps orphans orphaned", async () => {
    const slug = `test-versions-${suffix()}`;
    t.data.track(slug);
    await load(slug, P);
    const v1 = await latestVersion(t.db, slug);
    const q = "only 12 percent of the projected savings";
    const fuzzy = await createContribution(t.user, slug, claim(v1, 0, [P[0]!.indexOf(q), P[0]!.indexOf(q) + q.length]));
    const c = "circulation had fallen by a third";
    const doomed = await createContribution(t.user, slug, claim(v1, 1, [P[1]!.indexOf(c), P[1]!.indexOf(c) + c.length]));
    const steady = await createContribution(t.user, slug, claim(v1, 2, "whole"));

    // v2: the number is corrected, paragraph 1 is deleted.
    const p0v2 = P[0]!.replace("only 12 percent", "only 14 percent");
    await load(slug, [p0v2, P[2]!]);
    const v2 = await latestVersion(t.db, slug);
    expect(await anchoringOf(fuzzy.id, v2.versionId)).toMatchObject({ method: "FUZZY", sinceVersion: 2, quoteExact: "only 14 percent of the projected savings" });
    expect(await anchoringOf(doomed.id, v2.versionId)).toMatchObject({ method: "ORPHANED", sinceVersion: 2, paragraphId: null });
    expect(await anchoringOf(steady.id, v2.versionId)).toMatchObject({ method: "EXACT", sinceVersion: 1, wholeParagraph: true, paragraphId: v2.paragraphs[1]!.id });

    // v3: a sentence is appended to the first paragraph; the deleted paragraph comes back.
    await load(slug, [`${p0v2} The rest went to consultants.`, P[1]!, P[2]!]);
    const v3 = await latestVersion(t.db, slug);
    const f3 = await anchoringOf(fuzzy.id, v3.versionId);
    // Still fuzzy (against what the author quoted), at the same place: sinceVersion stays 2.
    expect(f3).toMatchObject({ method: "FUZZY", sinceVersion: 2, quoteExact: "only 14 percent of the projected savings", paragraphId: v3.paragraphs[0]!.id });
    expect(await anchoringOf(doomed.id, v3.versionId)).toMatchObject({ method: "ORPHANED", sinceVersion: 2 });
    expect(await anchoringOf(steady.id, v3.versionId)).toMatchObject({ method: "EXACT", sinceVersion: 1, paragraphId: v3.paragraphs[2]!.id });

    // The lineage of v1's paragraph 0 leads to v3's paragraph 0.
    const chain = await t.db.paragraphLineage.findMany({
      where: { OR: [{ fromParagraphId: v1.paragraphs[0]!.id }, { fromParagraphId: v2.paragraphs[0]!.id }] },
      select: { kind: true, toParagraphId: true },
    });
    expect(chain).toEqual(
      expect.arrayContaining([
        { kind: "EDITED", toParagraphId: v2.paragraphs[0]!.id },
        { kind: "EDITED", toParagraphId: v3.paragraphs[0]!.id },
      ]),
    );
    expect(await t.db.paragraphLineage.findFirst({ where: { fromParagraphId: v1.paragraphs[1]!.id } })).toMatchObject({ kind: "DELETED", toParagraphId: null });
  });
});

describe("publishing is one transaction", () => {
  it("leaves no version, lineage or anchoring behind when re-anchoring fails", async () => {
    const slug = `test-atomic-${suffix()}`;
    t.data.track(slug);
    await load(slug, P);
    const v1 = await latestVersion(t.db, slug);
    const a = await createContribution(t.user, slug, claim(v1, 0, [0, 10]));
    const b = await createContribution(t.user, slug, claim(v1, 1, [0, 10]));
    // Storing b's anchoring fails (as a full disk or a bug would), after a's was written.
    const fn = `fail_${suffix()}`;
    await t.db.$executeRawUnsafe(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."contributionId" = '${b.id}'::uuid THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
    );
    await t.db.$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "ContributionAnchoring" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      await expect(load(slug, [P[0]!.replace("different", "very different"), P[1]!, P[2]!])).rejects.toThrow(/injected failure/);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "ContributionAnchoring"`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect((await latestVersion(t.db, slug)).versionId).toBe(v1.versionId);
    expect(await t.db.contributionAnchoring.count({ where: { contributionId: { in: [a.id, b.id] } } })).toBe(0);
    expect(await t.db.paragraphLineage.count({ where: { from: { versionId: v1.versionId } } })).toBe(0);
    // Loading again, without the failure, publishes the version and both anchorings.
    expect((await load(slug, [P[0]!.replace("different", "very different"), P[1]!, P[2]!])).created).toEqual([slug]);
    expect(await t.db.contributionAnchoring.count({ where: { contributionId: { in: [a.id, b.id] } } })).toBe(2);
  });

  it("rolls back every batch when a later one fails, placements included (more contributions than one statement writes)", async () => {
    const slug = `test-atomic-batches-${suffix()}`;
    t.data.track(slug);
    await load(slug, P);
    const v1 = await latestVersion(t.db, slug);
    const first = await createContribution(t.user, slug, claim(v1, 0, [0, 10]));
    // 2,999 more on the paragraph that will change, written set-based (the loader writes 2,000 per statement).
    await t.db.$executeRawUnsafe(
      `INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
       SELECT gen_random_uuid(), kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", now()
       FROM "Contribution", generate_series(1, 2999) WHERE id = '${first.id}'::uuid`,
    );
    const placedBefore = await t.db.contribution.findMany({ where: { articleId: v1.articleId }, select: { id: true, placedAnchorId: true, placedStart: true, placedMethod: true, placedSince: true }, orderBy: { id: "asc" } });
    expect(placedBefore).toHaveLength(3000);
    // The 2,500th anchoring stored fails: the first statement has stored 2,000 and moved their placements by then.
    const fn = `fail_${suffix()}`;
    await t.db.$executeRawUnsafe(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM set_config('test.anchorings', (coalesce(nullif(current_setting('test.anchorings', true), ''), '0')::int + 1)::text, true);
         IF current_setting('test.anchorings')::int = 2500 THEN RAISE EXCEPTION 'injected failure in a later batch'; END IF;
         RETURN NEW;
       END $$`,
    );
    await t.db.$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "ContributionAnchoring" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    const next = [P[0]!.replace("different", "very different"), P[1]!, P[2]!];
    try {
      await expect(load(slug, next)).rejects.toThrow(/injected failure in a later batch/);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "ContributionAnchoring"`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect((await latestVersion(t.db, slug)).versionId).toBe(v1.versionId);
    expect(await t.db.contributionAnchoring.count({ where: { contribution: { articleId: v1.articleId } } })).toBe(0);
    expect(await t.db.contribution.findMany({ where: { articleId: v1.articleId }, select: { id: true, placedAnchorId: true, placedStart: true, placedMethod: true, placedSince: true }, orderBy: { id: "asc" } })).toEqual(placedBefore);
    // Without the failure: one anchoring each, and every placement says what its anchoring says.
    expect((await load(slug, next)).created).toEqual([slug]);
    const v2 = await latestVersion(t.db, slug);
    expect(await t.db.contributionAnchoring.count({ where: { versionId: v2.versionId } })).toBe(3000);
    const [{ drift }] = await t.db.$queryRaw<[{ drift: bigint }]>`
      SELECT count(*) AS drift FROM "ContributionAnchoring" a JOIN "Contribution" c ON c.id = a."contributionId"
      WHERE a."versionId" = ${v2.versionId}::uuid
        AND (c."placedAnchorId", c."placedStart", c."placedEnd", c."placedExact", c."placedMethod", c."placedSince")
            IS DISTINCT FROM (a."anchorId", a."startOffset", a."endOffset", a."quoteExact", a.method, a."sinceVersion")`;
    expect(drift).toBe(0n);
    expect(await anchoringOf(first.id, v2.versionId)).toMatchObject({ anchorId: v2.paragraphs[0]!.anchorId, method: "EXACT" });
  });

  it("several processes loading the same revision at once publish it once", async () => {
    const slug = `test-race-${suffix()}`;
    t.data.track(slug);
    await load(slug, P);
    const v1 = await latestVersion(t.db, slug);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createContribution(t.user, slug, claim(v1, i % 3, [0, 12]))).id);
    const next = [P[0]!, "A new paragraph in the middle.", P[1]!.replace("a third", "nearly a third"), P[2]!];
    const results = await Promise.all(Array.from({ length: 4 }, () => load(slug, next)));
    expect(results.flatMap((r) => r.created)).toEqual([slug]);
    expect(await t.db.articleVersion.count({ where: { article: { slug } } })).toBe(2);
    const v2 = await latestVersion(t.db, slug);
    expect(await t.db.contributionAnchoring.count({ where: { versionId: v2.versionId } })).toBe(ids.length);
    expect(await t.db.paragraphLineage.count({ where: { toVersionId: v2.versionId } })).toBe(3);
  });
});
