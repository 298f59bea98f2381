import { describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { verifySelector } from "@/lib/annotations/selector";
import { loadContent } from "@/lib/content/load-content";
import { parseArticle } from "@/lib/content/parse-article";
import { expectedSinceVersion, loadCorpus } from "../support/reanchoring-corpus";
import { articleSource, claim, latestVersion, suffix, testDataWithUser } from "./support/fixtures";

/**
 * The re-anchoring corpus (tests/fixtures/reanchoring-corpus.json) through the real content
 * loader: version 1 is loaded, a contribution (and replies) written on it with the app's own
 * createContribution, version 2 loaded; the stored anchoring must be what the corpus expects.
 */

const t = testDataWithUser();

const corpus = loadCorpus();

describe("re-anchoring corpus through the content loader", () => {
  for (const c of corpus) {
    it(c.name, async () => {
      const slug = `test-reanchor-${suffix()}`;
      t.data.track(slug);
      expect(await loadContent(t.db, [parseArticle(slug, articleSource("The library we were promised", c.old))])).toMatchObject({ created: [slug] });
      const v1 = await latestVersion(t.db, slug);
      const root = await createContribution(t.user, slug, claim(v1, c.claim.paragraph, [c.claim.start, c.claim.end]));
      let parentId = root.id;
      const replyIds: string[] = [];
      for (let k = 0; k < c.replies; k++) {
        // Replies as a thread stores them: their own (here: whole-paragraph) selector, a parent.
        const reply = await createContribution(t.user, slug, claim(v1, c.claim.paragraph, "whole", { body: `Reply ${k}` }));
        await t.db.contribution.update({ where: { id: reply.id }, data: { parentId } });
        replyIds.push(reply.id);
        parentId = reply.id;
      }

      const result = await loadContent(t.db, [parseArticle(slug, articleSource(c.title ?? "The library we were promised", c.new))]);
      expect(result.created).toEqual([slug]);
      expect(result.reanchored?.[slug]).toMatchObject({ version: 2, [c.expect.method]: 1 + c.replies });
      const v2 = await latestVersion(t.db, slug);
      const rows = await t.db.contributionAnchoring.findMany({
        where: { versionId: v2.versionId, contributionId: { in: [root.id, ...replyIds] } },
        include: { paragraph: { select: { position: true, text: true, anchorId: true } } },
      });
      expect(rows).toHaveLength(1 + c.replies);
      const r = rows.find((x) => x.contributionId === root.id)!;
      expect(r.method).toBe(c.expect.method.toUpperCase());
      expect(r.sinceVersion).toBe(expectedSinceVersion(c));
      if (c.expect.method === "orphaned") {
        expect(r).toMatchObject({ paragraphId: null, anchorId: null, startOffset: null, quoteExact: null });
      } else {
        expect(r.paragraph!.position).toBe(c.expect.paragraph);
        expect(r.anchorId).toBe(r.paragraph!.anchorId);
        expect(r).toMatchObject({ startOffset: c.expect.start, endOffset: c.expect.end, quoteExact: c.expect.quote, wholeParagraph: c.expect.whole });
        const check = verifySelector(r.paragraph!.text, { start: r.startOffset!, end: r.endOffset!, exact: r.quoteExact!, prefix: r.quotePrefix!, suffix: r.quoteSuffix! });
        expect(check.ok).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(0.7);
      }
      for (const reply of rows.filter((x) => x.contributionId !== root.id)) {
        const { id: _a, contributionId: _b, createdAt: _c, ...same } = reply;
        const { id: _d, contributionId: _e, createdAt: _f, ...expected } = r;
        expect(same).toEqual(expected);
      }
      if (c.expect.change) {
        const lineage = await t.db.paragraphLineage.findMany({ where: { from: { versionId: v1.versionId, position: c.claim.paragraph } } });
        expect(lineage.length).toBeGreaterThan(0);
        expect(lineage.every((l) => l.kind === c.expect.change!.toUpperCase())).toBe(true);
      }
    });
  }
});
