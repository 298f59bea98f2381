import type { WordBag } from "./word-bag";

/**
 * How alike two paragraphs are, from 0 to 1: the Sørensen–Dice coefficient of their word
 * multisets (2·shared words / all words). Word order does not count, so a reordered
 * sentence is still the same paragraph; an edit that keeps most words scores high.
 */
export function paragraphSimilarity(a: WordBag, b: WordBag): number {
  if (a.size === 0 && b.size === 0) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [w, n] of small.counts) {
    const m = large.counts.get(w);
    if (m) shared += Math.min(n, m);
  }
  return (2 * shared) / (a.size + b.size);
}
