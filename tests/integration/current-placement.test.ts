import { describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { createReply } from "@/lib/annotations/create-reply";
import { getContributionThread } from "@/lib/annotations/get-contribution-thread";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { listOrphans } from "@/lib/annotations/list-orphans";
import { listReplies } from "@/lib/annotations/list-replies";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { loadContent } from "@/lib/content/load-content";
import { parseArticle } from "@/lib/content/parse-article";
import { reattachOrphan } from "@/lib/moderation/reattach-orphan";
import { moderationData } from "./support/moderation";
import { articleSource, claim, latestVersion, suffix, testDataWithUser } from "./support/fixtures";

/**
 * The read side of revisions (docs/decisions/0042): after a new version is loaded, the paragraph
 * lists, counts, highlights, replies and shared links read where each contribution sits on the
 * CURRENT version; orphans are listed apart and can be put back by a moderator.
 */

const t = testDataWithUser();

const P = [
  "The council's own budget documents tell a different story: only 12 percent of the projected savings were ever allocated.",
  "Supporters of the closure argue that circulation had fallen by a third over a decade, which ignores the cut in opening hours.",
  "The council should reopen the branch and publish the full audit before any further closures are approved.",
];

const load = (slug: string, paragraphs: string[]) => loadContent(t.db, [parseArticle(slug, articleSource("Placement", paragraphs))]);
const span = (text: string, q: string): [number, number] => [text.indexOf(q), text.indexOf(q) + q.length];
const list = (slug: string, anchorId: string, viewerId: string | null = null) =>
  listParagraphContributions(slug, anchorId, { limit: 20, viewerId, sort: "newest" });

describe("the current version's lists, counts and highlights", () => {
  it("show re-anchored contributions on their claim, say when the text changed, and list orphans apart", async () => {
    const slug = `test-placement-${suffix()}`;
    t.data.track(slug);
    await load(slug, P);
    const v1 = await latestVersion(t.db, slug);
    const q = "only 12 percent of the projected savings";
    const fuzzy = await createContribution(t.user, slug, claim(v1, 0, span(P[0]!, q), { body: "The figure matters." }));
    const reply = await createReply(t.user, fuzzy.id, { kind: "ANNOTATION", body: "A reply follows its thread." });
    const lost = await createContribution(t.user, slug, claim(v1, 1, span(P[1]!, "circulation had fallen by a third"), { body: "About circulation." }));
    const steady = await createContribution(t.user, slug, claim(v1, 2, span(P[2]!, "publish the full audit")));

    await t.db.follow.create({ data: { userId: t.user.id, articleId: v1.articleId, target: `paragraph:${v1.paragraphs[0]!.anchorId}` } });

    // v2: a word inside the first quote changes, a sentence goes before paragraph 3, paragraph 2 is deleted.
    const p0 = P[0]!.replace("only 12 percent", "only 14 percent");
    const p2 = `Above all, transparency. ${P[2]}`;
    await load(slug, [p0, p2]);
    const v2 = await latestVersion(t.db, slug);

    // The placement on the contribution and the version's anchoring rows say the same.
    const rows = await t.db.contribution.findMany({ where: { articleId: v2.articleId }, include: { anchorings: { where: { versionId: v2.versionId } } } });
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      const a = r.anchorings[0]!;
      expect({ anchorId: r.placedAnchorId, start: r.placedStart, end: r.placedEnd, exact: r.placedExact, method: r.placedMethod, score: r.placedScore, since: r.placedSince }).toEqual({
        anchorId: a.anchorId,
        start: a.startOffset,
        end: a.endOffset,
        exact: a.quoteExact,
        method: a.method,
        score: a.score,
        since: a.sinceVersion,
      });
    }
    // Who followed the edited paragraph follows what it became.
    expect(await t.db.follow.count({ where: { userId: t.user.id, target: `paragraph:${v2.paragraphs[0]!.anchorId}` } })).toBe(1);

    // Paragraph 1 (edited, new anchor): the fuzzy one is listed there, on the current words.
    const first = await list(slug, v2.paragraphs[0]!.anchorId);
    expect(first.items.map((c) => c.id)).toEqual([fuzzy.id]);
    const f = first.items[0]!;
    expect(f.anchorId).toBe(v2.paragraphs[0]!.anchorId);
    expect(f.selector.exact).toBe("only 14 percent of the projected savings");
    expect(p0.slice(f.selector.start, f.selector.end)).toBe(f.selector.exact);
    expect(f.anchoring).toMatchObject({ method: "fuzzy", sinceVersion: 2 });
    expect(f.anchoring.score).toBeGreaterThanOrEqual(0.7);
    expect(f.original).toMatchObject({ exact: q, anchorId: v1.paragraphs[0]!.anchorId });
    expect(f.replyCount).toBe(1);
    expect((await listReplies(fuzzy.id, { limit: 20, viewerId: null })).items.map((r) => r.id)).toEqual([reply.id]);
    // The old anchor lists nothing any more.
    expect((await list(slug, v1.paragraphs[0]!.anchorId)).items).toEqual([]);

    // Paragraph 3 moved by 25 characters: exact, at the new offsets.
    const third = await list(slug, v2.paragraphs[1]!.anchorId);
    expect(third.items.map((c) => c.id)).toEqual([steady.id]);
    expect(third.items[0]!.selector).toMatchObject({ exact: "publish the full audit", start: p2.indexOf("publish the full audit") });
    expect(third.items[0]!.anchoring.method).toBe("exact");
    // ?covering= uses the current offsets.
    const at = p2.indexOf("full audit");
    expect((await listParagraphContributions(slug, v2.paragraphs[1]!.anchorId, { limit: 20, viewerId: null, covering: at })).items).toHaveLength(1);
    expect((await listParagraphContributions(slug, v2.paragraphs[1]!.anchorId, { limit: 20, viewerId: null, covering: 3 })).items).toHaveLength(0);

    // Counts and highlights per current paragraph; the orphan counts nowhere.
    const summaries = await paragraphSummaries(v2.articleId);
    expect(summaries.get(v2.paragraphs[0]!.anchorId)?.counts.ANNOTATION).toBe(2);
    expect(summaries.get(v2.paragraphs[0]!.anchorId)?.highlights).toEqual([[f.selector.start, f.selector.end]]);
    expect(summaries.get(v2.paragraphs[1]!.anchorId)?.highlights).toEqual([[at - "publish the ".length, at + "full audit".length]]);
    expect([...summaries.keys()].sort()).toEqual([v2.paragraphs[0]!.anchorId, v2.paragraphs[1]!.anchorId].sort());

    // The orphan: "On earlier versions", with where it was written.
    const orphans = await listOrphans(slug, { limit: 20, viewerId: null });
    expect(orphans.items.map((o) => o.id)).toEqual([lost.id]);
    expect(orphans.items[0]).toMatchObject({
      anchoring: { method: "orphaned", sinceVersion: 2 },
      selector: { exact: "circulation had fallen by a third" },
      writtenOn: { version: 1, anchorId: v1.paragraphs[1]!.anchorId, paragraph: P[1] },
    });

    // A shared link opens the thread on the paragraph it sits on now.
    expect((await getContributionThread(reply.id, null)).anchorId).toBe(v2.paragraphs[0]!.anchorId);

    // A reply written now follows the re-anchored claim; at v3 it is re-anchored with its root.
    const late = await createReply(t.user, fuzzy.id, { kind: "ANNOTATION", body: "Written after the revision." });
    expect(late.anchorId).toBe(v2.paragraphs[0]!.anchorId);
    await load(slug, [`${p0} The rest went to consultants.`, p2]);
    const v3 = await latestVersion(t.db, slug);
    const thread = await list(slug, v3.paragraphs[0]!.anchorId);
    expect(thread.items.map((c) => c.id)).toEqual([fuzzy.id]);
    expect(thread.items[0]!.replyCount).toBe(2);
    expect((await paragraphSummaries(v3.articleId)).get(v3.paragraphs[0]!.anchorId)?.counts.ANNOTATION).toBe(3);
    expect(await t.db.contributionAnchoring.count({ where: { versionId: v3.versionId, contributionId: { in: [fuzzy.id, reply.id, late.id] } } })).toBe(3);
  });

  it("posts from a page opened before the revision only where the paragraph is unchanged", async () => {
    const slug = `test-stale-${suffix()}`;
    t.data.track(slug);
    await load(slug, P);
    const v1 = await latestVersion(t.db, slug);
    await load(slug, [P[0]!.replace("12", "14"), P[1]!, P[2]!]);
    const v2 = await latestVersion(t.db, slug);
    // The changed paragraph: 409, nothing stored.
    await expect(createContribution(t.user, slug, claim(v1, 0, [0, 11]))).rejects.toMatchObject({ code: "conflict" });
    // The same paragraph (same anchor, same text): written on the current version.
    const ok = await createContribution(t.user, slug, claim(v1, 1, [0, 10]));
    expect(ok.versionId).toBe(v2.versionId);
    expect((await list(slug, v2.paragraphs[1]!.anchorId)).items.map((c) => c.id)).toEqual([ok.id]);
    expect(await t.db.contribution.count({ where: { articleId: v2.articleId } })).toBe(1);
  });

  it("lets a moderator put an orphan back on a span of the current text, with its replies", async () => {
    // Logged rows stay (the audit log keeps what it references): people and the article of their own.
    const m = moderationData(t.db);
    const author = await m.user();
    const mod = await m.user({ role: "MODERATOR" });
    const slug = `test-reattach-${suffix()}`;
    m.track(slug);
    try {
    await load(slug, P);
    const v1 = await latestVersion(t.db, slug);
    const lost = await createContribution(author, slug, claim(v1, 1, span(P[1]!, "circulation had fallen by a third")));
    const reply = await createReply(author, lost.id, { kind: "COUNTERPOINT", body: "Not quite." });
    const rewritten = "Loans per resident halved after the hours were cut, the library service says.";
    await load(slug, [P[0]!, rewritten, P[2]!]);
    const v2 = await latestVersion(t.db, slug);
    expect((await listOrphans(slug, { limit: 20, viewerId: null })).items.map((o) => o.id)).toEqual([lost.id]);

    // A reader may not; a wrong span or a stale version changes nothing.
    await expect(reattachOrphan(author, lost.id, { anchorId: v2.paragraphs[1]!.anchorId, selector: { start: 0, end: 5, exact: "Loans" }, version: 1 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(reattachOrphan(mod, lost.id, { anchorId: v2.paragraphs[1]!.anchorId, selector: { start: 0, end: 5, exact: "Nope!" }, version: 1 })).rejects.toMatchObject({ code: "validation" });
    await expect(reattachOrphan(mod, lost.id, { anchorId: v2.paragraphs[1]!.anchorId, selector: { start: 0, end: 5, exact: "Loans" }, version: 9 })).rejects.toMatchObject({ code: "conflict" });
    await expect(reattachOrphan(mod, reply.id, { anchorId: v2.paragraphs[1]!.anchorId, selector: { start: 0, end: 5, exact: "Loans" }, version: 1 })).rejects.toMatchObject({ code: "conflict" });

    const q = "Loans per resident halved";
    const done = await reattachOrphan(mod, lost.id, { anchorId: v2.paragraphs[1]!.anchorId, selector: { start: 0, end: q.length, exact: q }, version: 1 });
    expect(done).toMatchObject({ anchorId: v2.paragraphs[1]!.anchorId, selector: { exact: q }, anchoring: { method: "fuzzy", score: 1, sinceVersion: 2 } });
    expect(done.original?.exact).toBe("circulation had fallen by a third");
    const listed = await list(slug, v2.paragraphs[1]!.anchorId);
    expect(listed.items.map((c) => c.id)).toEqual([lost.id]);
    expect(listed.items[0]!.replyCount).toBe(1);
    expect((await paragraphSummaries(v2.articleId)).get(v2.paragraphs[1]!.anchorId)?.counts).toMatchObject({ ANNOTATION: 1, COUNTERPOINT: 1 });
    expect((await listOrphans(slug, { limit: 20, viewerId: null })).items).toEqual([]);
    expect(await t.db.contributionAnchoring.findUniqueOrThrow({ where: { contributionId_versionId: { contributionId: reply.id, versionId: v2.versionId } } })).toMatchObject({
      method: "FUZZY",
      anchorId: v2.paragraphs[1]!.anchorId,
      quoteExact: q,
    });
    const log = await t.db.moderationLog.findFirstOrThrow({ where: { action: "REATTACH", contributionId: lost.id } });
    expect(log).toMatchObject({ actorId: mod.id, details: { version: 2, placed: { exact: q }, written: { exact: "circulation had fallen by a third" } } });
    // Done once: a second try is a 409.
    await expect(reattachOrphan(mod, lost.id, { anchorId: v2.paragraphs[1]!.anchorId, selector: { start: 0, end: 5, exact: "Loans" }, version: 2 })).rejects.toMatchObject({ code: "conflict" });
    } finally {
      await m.cleanup();
    }
  });
});
