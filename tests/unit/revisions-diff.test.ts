import { describe, expect, it } from "vitest";
import { alignParagraphs } from "@/lib/anchoring/align-paragraphs";
import { parseArticle } from "@/lib/content/parse-article";
import { paragraphChanges, wordDiff } from "@/lib/content/paragraph-changes";
import { parseRevisionInput, revisionSourceOf } from "@/lib/content/revision-input";

/** The word-level diffs the revision preview and the history page show, and the editor's round trip. */

const ps = (texts: string[]) => texts.map((text, i) => ({ anchorId: `p-${i}`, text }));

describe("wordDiff", () => {
  it("marks inserted and deleted words, keeping the rest", () => {
    expect(wordDiff("only 12 percent were spent", "only 14 percent were spent")).toEqual([
      { op: "same", text: "only " },
      { op: "del", text: "12" },
      { op: "ins", text: "14" },
      { op: "same", text: " percent were spent" },
    ]);
    expect(wordDiff("", "new")).toEqual([{ op: "ins", text: "new" }]);
    expect(wordDiff("old", "")).toEqual([{ op: "del", text: "old" }]);
  });

  it("shows a very long pair as replaced instead of diffing it word by word", () => {
    const a = "word ".repeat(3000);
    const b = "other ".repeat(3000);
    expect(wordDiff(a, b)).toEqual([
      { op: "del", text: a },
      { op: "ins", text: b },
    ]);
  });
});

describe("paragraphChanges", () => {
  it("lists edits, splits, merges, deletions and insertions in the new order, one entry per merge", () => {
    const B1 = "Supporters of the closure argue that circulation had fallen by a third over a decade of decline.";
    const B2 = "That argument ignores the cut in opening hours that the council itself ordered three years earlier.";
    const C = "Residents collected four thousand signatures in a month, more than any petition in the borough's history.";
    const D = "The petition asked for the full audit to be published before any further closures were approved.";
    const A = "The council's own budget documents tell a different story about the projected savings and where they went.";
    const F = "A spokesperson for the council declined to comment on the petition or on the audit's timetable.";
    const olds = ps([A, `${B1} ${B2}`, C, D]);
    const news = ps([B1, B2, `${C} ${D}`, F]);
    const { changes, inserted } = alignParagraphs(
      olds.map((p) => p.text),
      news.map((p) => p.text),
    );
    const views = paragraphChanges(olds, news, changes, inserted);
    expect(views.map((v) => [v.kind, v.before.map((p) => p.anchorId), v.after.map((p) => p.anchorId)])).toEqual([
      ["deleted", ["p-0"], []],
      ["split", ["p-1"], ["p-0", "p-1"]],
      ["merged", ["p-2", "p-3"], ["p-2"]],
      ["inserted", [], ["p-3"]],
    ]);
  });
});

describe("the editor's source of a stored version", () => {
  it("reparses to the same content hash (so an untouched form is 'nothing changed')", () => {
    const parsed = parseArticle("x", `---\ntitle: "T: a title"\nauthor: "A. Writer"\n---\n\nFirst paragraph\nwith a line break.\n\nSecond “quoted” paragraph.\n`);
    const source = revisionSourceOf({ number: 3, frontmatter: parsed.frontmatter, paragraphs: parsed.paragraphs });
    expect(source.baseVersion).toBe(3);
    const fields = Object.fromEntries(Object.entries(source.fields).filter(([, v]) => v));
    const again = parseRevisionInput("x", { baseVersion: 3, title: source.fields.title!, ...fields, body: source.body });
    expect(again.contentHash).toBe(parsed.contentHash);
  });
});
