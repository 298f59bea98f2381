import { selectorFor, type ClaimSelector } from "@/lib/annotations/selector";
import { alignParagraphs, type Alignment, type ParagraphChangeKind } from "./align-paragraphs";
import { anchorQuote, anchorTarget, type AnchorTarget } from "./anchor-quote";
import { normalizeText } from "./normalize-text";
import type { AnchoringMethod, QuoteSelector } from "./types";

export interface RevisionParagraph {
  id: string;
  anchorId: string;
  text: string;
}

/** A contribution as the previous version shows it. */
export interface PreviousPlacement {
  id: string;
  parentId: string | null;
  /** What the author quoted, on the version they wrote on: every re-anchoring starts from it. */
  quote: QuoteSelector;
  /** Where it sits on the previous version; null if it was already an orphan there. */
  at: { paragraphId: string; start: number; end: number } | null;
  method: AnchoringMethod;
  score: number;
  /** Version number since which it has been anchored this way. */
  sinceVersion: number;
}

export interface Reanchoring {
  contributionId: string;
  method: AnchoringMethod;
  score: number;
  sinceVersion: number;
  /** Null for an orphan. */
  paragraphId: string | null;
  anchorId: string | null;
  selector: ClaimSelector | null;
}

export interface LineageEntry {
  fromParagraphId: string;
  /** Null when the paragraph was deleted. */
  toParagraphId: string | null;
  kind: ParagraphChangeKind;
  similarity: number;
}

export interface RevisionResult {
  alignment: Alignment;
  lineage: LineageEntry[];
  anchorings: Reanchoring[];
}

function sameSelector(a: ClaimSelector, at: { start: number; end: number }): boolean {
  return a.start === at.start && a.end === at.end;
}

/** A revision aligned, ready to re-anchor the contributions one by one (prepareRevision). */
export interface PreparedRevision {
  alignment: Alignment;
  lineage: LineageEntry[];
  /** Where one of the placements handed to prepareRevision sits now (a reply: where its thread's root does). */
  anchor(p: PreviousPlacement): Reanchoring;
}

/**
 * Re-anchors every contribution of the previous version onto a new one: aligns the paragraphs,
 * then anchors each thread root's original quote in its paragraph's successor(s), near where it
 * sat before. Replies follow their thread's root. A contribution whose paragraph is unchanged
 * keeps its placement (and its method, score and sinceVersion); an orphan stays an orphan.
 */
export function reanchorRevision(
  oldParagraphs: readonly RevisionParagraph[],
  newParagraphs: readonly RevisionParagraph[],
  placements: readonly PreviousPlacement[],
  newVersion: number,
): RevisionResult {
  const { alignment, lineage, anchor } = prepareRevision(oldParagraphs, newParagraphs, placements, newVersion);
  return { alignment, lineage, anchorings: placements.map(anchor) };
}

/**
 * reanchorRevision in two steps: the alignment and lineage at once, each contribution's new place
 * when asked for (so a caller can store some while the engine works out the rest). Anchoring the
 * same placements in any order, or in batches, gives the same results.
 */
export function prepareRevision(
  oldParagraphs: readonly RevisionParagraph[],
  newParagraphs: readonly RevisionParagraph[],
  placements: readonly PreviousPlacement[],
  newVersion: number,
): PreparedRevision {
  const alignment = alignParagraphs(
    oldParagraphs.map((p) => p.text),
    newParagraphs.map((p) => p.text),
  );
  const lineage = alignment.changes.flatMap((c): LineageEntry[] =>
    c.to.length === 0
      ? [{ fromParagraphId: oldParagraphs[c.from]!.id, toParagraphId: null, kind: c.kind, similarity: c.similarity }]
      : c.to.map((j) => ({
          fromParagraphId: oldParagraphs[c.from]!.id,
          toParagraphId: newParagraphs[j]!.id,
          kind: c.kind,
          similarity: c.similarity,
        })),
  );

  const oldIndex = new Map(oldParagraphs.map((p, i) => [p.id, i]));
  // Where an old paragraph starts inside the paragraph it was merged into (normalised length, roughly).
  const mergeOffset = new Map<number, number>();
  const mergedInto = new Map<number, number>();
  for (const c of alignment.changes) {
    if (c.kind !== "merged") continue;
    const j = c.to[0]!;
    const at = mergedInto.get(j) ?? 0;
    mergeOffset.set(c.from, at);
    mergedInto.set(j, at + normalizeText(oldParagraphs[c.from]!.text).text.length + 1);
  }

  // Successors normalised once per old paragraph, not once per contribution.
  const prepared = new Map<number, AnchorTarget>();

  const orphan = (p: PreviousPlacement, score: number): Reanchoring => ({
    contributionId: p.id,
    method: "orphaned",
    score: p.method === "orphaned" ? p.score : score,
    sinceVersion: p.method === "orphaned" ? p.sinceVersion : newVersion,
    paragraphId: null,
    anchorId: null,
    selector: null,
  });

  const place = (p: PreviousPlacement): Reanchoring => {
    if (!p.at) return orphan(p, 0);
    const i = oldIndex.get(p.at.paragraphId);
    if (i === undefined) return orphan(p, 0);
    const change = alignment.changes[i]!;
    if (change.kind === "deleted") return orphan(p, 0);
    const old = oldParagraphs[i]!;
    const targets = change.to.map((j) => newParagraphs[j]!);
    if (targets.length === 1 && targets[0]!.text === old.text) {
      // Same text: same offsets, nothing to search.
      const t = targets[0]!;
      return {
        contributionId: p.id,
        method: p.method,
        score: p.score,
        sinceVersion: p.sinceVersion,
        paragraphId: t.id,
        anchorId: t.anchorId,
        selector: selectorFor(t.text, p.at.start, p.at.end),
      };
    }
    const hint = (mergeOffset.get(i) ?? 0) + p.at.start;
    let target = prepared.get(i);
    if (!target) prepared.set(i, (target = anchorTarget(targets.map((t) => t.text))));
    const r = anchorQuote(p.quote, target, hint);
    if (r.method === "orphaned") return orphan(p, r.score);
    const t = targets[r.part]!;
    const unchanged = r.method === p.method && change.kind !== "split" && change.kind !== "merged" && sameSelector(r.selector, p.at);
    return {
      contributionId: p.id,
      method: r.method,
      score: r.score,
      sinceVersion: unchanged ? p.sinceVersion : newVersion,
      paragraphId: t.id,
      anchorId: t.anchorId,
      selector: r.selector,
    };
  };

  // Thread roots are anchored; replies take their root's result.
  const byId = new Map(placements.map((p) => [p.id, p]));
  const rootOf = (p: PreviousPlacement): PreviousPlacement => {
    let cur = p;
    const seen = new Set<string>([p.id]);
    while (cur.parentId) {
      const parent = byId.get(cur.parentId);
      if (!parent || seen.has(parent.id)) break;
      seen.add(parent.id);
      cur = parent;
    }
    return cur;
  };
  const results = new Map<string, Reanchoring>();
  const anchor = (p: PreviousPlacement): Reanchoring => {
    const root = rootOf(p);
    let r = results.get(root.id);
    if (!r) results.set(root.id, (r = place(root)));
    return root === p ? r : { ...r, contributionId: p.id };
  };
  return { alignment, lineage, anchor };
}

