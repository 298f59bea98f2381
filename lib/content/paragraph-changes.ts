import { diffWords } from "diff";

/**
 * What changed between two versions of an article, paragraph by paragraph, with a word-level
 * diff: shared by the admin's "Preview changes" (from lib/anchoring's alignment, before anything
 * is stored) and the history page (from the stored ParagraphLineage), so both say the same.
 */

export type ChangeKind = "moved" | "edited" | "split" | "merged" | "deleted" | "inserted";

export interface DiffPart {
  op: "same" | "ins" | "del";
  text: string;
}

export interface ChangedParagraph {
  anchorId: string;
  text: string;
}

export interface ParagraphChangeView {
  kind: ChangeKind;
  /** The paragraph(s) of the older version: one, several for a merge, none for an insertion. */
  before: ChangedParagraph[];
  /** The paragraph(s) of the newer version: one, several for a split, none for a deletion. */
  after: ChangedParagraph[];
  /** The words of `before` (joined by blank lines) turned into those of `after`. */
  diff: DiffPart[];
}

/** One old paragraph's fate by index (lib/anchoring/align-paragraphs.ts's ParagraphChange, or stored lineage). */
export interface IndexedChange {
  from: number;
  kind: "unchanged" | "moved" | "edited" | "split" | "merged" | "deleted";
  to: number[];
}

const MAX_DIFF_CHARS = 20_000;

export function wordDiff(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ op: "same", text: before }] : [];
  if (!before) return [{ op: "ins", text: after }];
  if (!after) return [{ op: "del", text: before }];
  // A very long paragraph is shown as replaced rather than diffed word by word (bounded work).
  if (before.length + after.length > MAX_DIFF_CHARS) return [{ op: "del", text: before }, { op: "ins", text: after }];
  return diffWords(before, after).map((p) => ({ op: p.added ? "ins" : p.removed ? "del" : "same", text: p.value }));
}

const joined = (ps: ChangedParagraph[]) => ps.map((p) => p.text).join("\n\n");

/**
 * The changed paragraphs, in the newer version's order (a deleted paragraph where it stood):
 * unchanged ones are left out; a merge is one entry with all its old paragraphs.
 */
export function paragraphChanges(
  oldPs: readonly ChangedParagraph[],
  newPs: readonly ChangedParagraph[],
  changes: readonly IndexedChange[],
  inserted: readonly number[],
): ParagraphChangeView[] {
  const out: { key: number; view: ParagraphChangeView }[] = [];
  const mergedInto = new Map<number, number[]>();
  for (const c of changes) if (c.kind === "merged" && c.to[0] !== undefined) mergedInto.set(c.to[0], [...(mergedInto.get(c.to[0]) ?? []), c.from]);
  let lastNew = -1;
  for (const c of [...changes].sort((a, b) => a.from - b.from)) {
    const before = [oldPs[c.from]!];
    const after = c.to.map((j) => newPs[j]!);
    if (c.to.length) lastNew = Math.max(lastNew, ...c.to);
    const key = c.to.length ? Math.min(...c.to) : lastNew + 0.5;
    if (c.kind === "unchanged") continue;
    if (c.kind === "merged") {
      const target = c.to[0]!;
      const froms = mergedInto.get(target) ?? [c.from];
      if (froms[0] !== c.from) continue; // one entry per merge, at its first old paragraph
      const olds = froms.map((i) => oldPs[i]!);
      out.push({ key, view: { kind: "merged", before: olds, after, diff: wordDiff(joined(olds), joined(after)) } });
      continue;
    }
    out.push({ key, view: { kind: c.kind, before, after, diff: wordDiff(joined(before), joined(after)) } });
  }
  for (const j of inserted) out.push({ key: j, view: { kind: "inserted", before: [], after: [newPs[j]!], diff: wordDiff("", newPs[j]!.text) } });
  return out.sort((a, b) => a.key - b.key).map((o) => o.view);
}

export type ChangeCounts = Record<ChangeKind | "unchanged", number>;

export const emptyCounts = (): ChangeCounts => ({ unchanged: 0, moved: 0, edited: 0, split: 0, merged: 0, deleted: 0, inserted: 0 });
