import { normalizeText } from "./normalize-text";
import { paragraphSimilarity } from "./paragraph-similarity";
import { MAX_SPLIT_PARTS, MIN_PARAGRAPH_SIMILARITY } from "./thresholds";
import { joinBags, wordBag, type WordBag } from "./word-bag";

export type ParagraphChangeKind = "unchanged" | "moved" | "edited" | "split" | "merged" | "deleted";

/** What became of one old paragraph: its successor(s) in the new version, by index. */
export interface ParagraphChange {
  from: number;
  kind: ParagraphChangeKind;
  /** New paragraph indexes, in order: one, several for a split, none when deleted. */
  to: number[];
  /** 1 for same text; the Dice similarity of the words otherwise (joined parts for a split or merge). */
  similarity: number;
}

export interface Alignment {
  /** One entry per old paragraph, in old order. */
  changes: ParagraphChange[];
  /** New paragraphs that continue no old one. */
  inserted: number[];
}

interface Candidate {
  olds: number[];
  news: number[];
  similarity: number;
}

/** Indexes of a longest strictly increasing subsequence of `values`. */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < values[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i !== -1; i = prev[i]!) keep.add(i);
  return keep;
}

/** Runs of consecutive free paragraphs starting at `start` whose joined words grow more like `bag`. */
function runs(bag: WordBag, start: number, free: ReadonlySet<number>, bags: readonly WordBag[]): Candidate[] {
  const out: Candidate[] = [];
  let best = paragraphSimilarity(bag, bags[start]!);
  const members = [start];
  for (let next = start + 1; next < bags.length && members.length < MAX_SPLIT_PARTS && free.has(next); next++) {
    const sim = paragraphSimilarity(bag, joinBags([...members, next].map((i) => bags[i]!)));
    if (sim <= best) break;
    members.push(next);
    best = sim;
    out.push({ olds: [], news: [...members], similarity: sim });
  }
  return out;
}

/**
 * Aligns an article's old paragraph sequence with its new one:
 * 1. same normalised text → `unchanged` (in a longest common order) or `moved` (out of it);
 * 2. of the rest, the most similar pairs first (Dice coefficient of words, at least
 *    MIN_PARAGRAPH_SIMILARITY): one to one → `edited`, one old to consecutive new ones whose
 *    joined words are more like it than any single one → `split`, the converse → `merged`;
 * 3. old paragraphs left over are `deleted`, new ones `inserted`.
 */
export function alignParagraphs(oldTexts: readonly string[], newTexts: readonly string[]): Alignment {
  const changes: (ParagraphChange | undefined)[] = new Array(oldTexts.length).fill(undefined);
  const usedNew = new Set<number>();

  // 1. Same text (after normalisation), first come first served for repeats.
  const byText = new Map<string, number[]>();
  newTexts.forEach((t, j) => {
    const key = normalizeText(t).text.trim();
    const list = byText.get(key);
    if (list) list.push(j);
    else byText.set(key, [j]);
  });
  const pairs: [number, number][] = [];
  oldTexts.forEach((t, i) => {
    const j = byText.get(normalizeText(t).text.trim())?.shift();
    if (j !== undefined) {
      pairs.push([i, j]);
      usedNew.add(j);
    }
  });
  const inOrder = longestIncreasing(pairs.map(([, j]) => j));
  pairs.forEach(([i, j], k) => {
    changes[i] = { from: i, kind: inOrder.has(k) ? "unchanged" : "moved", to: [j], similarity: 1 };
  });

  // 2. Edited, split and merged paragraphs among the rest.
  const freeOld = new Set(oldTexts.map((_, i) => i).filter((i) => !changes[i]));
  const freeNew = new Set(newTexts.map((_, j) => j).filter((j) => !usedNew.has(j)));
  if (freeOld.size > 0 && freeNew.size > 0) {
    const oldBags = oldTexts.map((t, i) => (freeOld.has(i) ? wordBag(t) : { counts: new Map(), size: 0 }));
    const newBags = newTexts.map((t, j) => (freeNew.has(j) ? wordBag(t) : { counts: new Map(), size: 0 }));
    const candidates: Candidate[] = [];
    for (const i of freeOld) {
      for (const j of freeNew) {
        candidates.push({ olds: [i], news: [j], similarity: paragraphSimilarity(oldBags[i]!, newBags[j]!) });
        for (const c of runs(oldBags[i]!, j, freeNew, newBags)) candidates.push({ ...c, olds: [i] });
      }
    }
    for (const j of freeNew) {
      for (const i of freeOld) {
        for (const c of runs(newBags[j]!, i, freeOld, oldBags)) candidates.push({ olds: c.news, news: [j], similarity: c.similarity });
      }
    }
    // Most similar first; on a tie, fewer paragraphs, then closer positions.
    candidates.sort(
      (a, b) =>
        b.similarity - a.similarity ||
        a.olds.length + a.news.length - (b.olds.length + b.news.length) ||
        Math.abs(a.olds[0]! - a.news[0]!) - Math.abs(b.olds[0]! - b.news[0]!),
    );
    for (const c of candidates) {
      if (c.similarity < MIN_PARAGRAPH_SIMILARITY) break;
      if (!c.olds.every((i) => freeOld.has(i)) || !c.news.every((j) => freeNew.has(j))) continue;
      const kind = c.news.length > 1 ? "split" : c.olds.length > 1 ? "merged" : "edited";
      for (const i of c.olds) {
        changes[i] = { from: i, kind, to: [...c.news], similarity: c.similarity };
        freeOld.delete(i);
      }
      for (const j of c.news) freeNew.delete(j);
    }
  }

  // 3. Whatever is left.
  return {
    changes: changes.map((c, i) => c ?? { from: i, kind: "deleted", to: [], similarity: 0 }),
    inserted: [...freeNew].sort((a, b) => a - b),
  };
}
