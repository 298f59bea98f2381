import { normalizeText } from "./normalize-text";

/** A paragraph's words (normalised, lower-cased) with their counts, for comparing paragraphs. */
export interface WordBag {
  counts: Map<string, number>;
  size: number;
}

const WORD = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

export function wordBag(text: string): WordBag {
  const counts = new Map<string, number>();
  let size = 0;
  for (const m of normalizeText(text).text.toLowerCase().matchAll(WORD)) {
    counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    size++;
  }
  return { counts, size };
}

/** The words of several paragraphs together (a split's parts, a merge's sources). */
export function joinBags(bags: readonly WordBag[]): WordBag {
  const counts = new Map<string, number>();
  let size = 0;
  for (const b of bags) {
    for (const [w, n] of b.counts) counts.set(w, (counts.get(w) ?? 0) + n);
    size += b.size;
  }
  return { counts, size };
}
