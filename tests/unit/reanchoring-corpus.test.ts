import { describe, expect, it } from "vitest";
import { selectorFor, verifySelector } from "@/lib/annotations/selector";
import { MIN_SCORE } from "@/lib/anchoring/thresholds";
import { reanchorRevision, type PreviousPlacement } from "@/lib/anchoring/reanchor-revision";
import { expectedSinceVersion, loadCorpus } from "../support/reanchoring-corpus";

/** The corpus of realistic revisions (tests/fixtures/reanchoring-corpus.json) through the pure engine. */

const corpus = loadCorpus();

describe("re-anchoring corpus", () => {
  it("has at least 30 cases", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of corpus) {
    it(c.name, () => {
      const oldParas = c.old.map((text, i) => ({ id: `old-${i}`, anchorId: `a-old-${i}`, text }));
      const newParas = c.new.map((text, i) => ({ id: `new-${i}`, anchorId: `a-new-${i}`, text }));
      const sel = selectorFor(c.old[c.claim.paragraph]!, c.claim.start, c.claim.end);
      const root: PreviousPlacement = {
        id: "root",
        parentId: null,
        quote: { exact: sel.exact, prefix: sel.prefix, suffix: sel.suffix },
        at: { paragraphId: `old-${c.claim.paragraph}`, start: sel.start, end: sel.end },
        method: "exact",
        score: 1,
        sinceVersion: 1,
      };
      // Replies carry a selector of their own (here: nonsense) that must not matter.
      const replies: PreviousPlacement[] = Array.from({ length: c.replies }, (_, k) => ({
        ...root,
        id: `reply-${k}`,
        parentId: k === 0 ? "root" : `reply-${k - 1}`,
        quote: { exact: "nothing like it", prefix: "", suffix: "" },
      }));
      const { anchorings, alignment } = reanchorRevision(oldParas, newParas, [root, ...replies], 2);
      const [r, ...rest] = anchorings;
      expect(r!.method).toBe(c.expect.method);
      expect(r!.sinceVersion).toBe(expectedSinceVersion(c));
      if (c.expect.change) expect(alignment.changes[c.claim.paragraph]!.kind).toBe(c.expect.change);
      if (c.expect.method === "orphaned") {
        expect(r!.paragraphId).toBeNull();
        expect(r!.selector).toBeNull();
      } else {
        expect(r!.paragraphId).toBe(`new-${c.expect.paragraph}`);
        expect(r!.selector).toMatchObject({ start: c.expect.start, end: c.expect.end, exact: c.expect.quote });
        // The stored selector is a valid one on the new text.
        expect(verifySelector(c.new[c.expect.paragraph!]!, r!.selector!).ok).toBe(true);
        expect(r!.score).toBeGreaterThanOrEqual(MIN_SCORE);
        expect(r!.score).toBeLessThanOrEqual(1);
      }
      for (const reply of rest) expect({ ...reply, contributionId: "root" }).toEqual(r);
    });
  }
});
