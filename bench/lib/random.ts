import { selectorFor } from "@/lib/annotations/selector";
import type { SourceStance } from "@/lib/generated/prisma/enums";
import { WORDS } from "./words";

/**
 * The seeded randomness the benchmarks' seeds share. Each helper draws from `rand` in a fixed
 * order, so a seed gives the same rows run after run.
 */

export { mulberry32 } from "@/lib/random";

export function picker(rand: () => number) {
  return <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
}

/** The start of every word of `text`, for word-aligned spans. */
export function wordStartsOf(text: string): number[] {
  const out: number[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

/**
 * A claim: 15% the whole paragraph, otherwise a span of 3–25 whole words. A span that covers the
 * whole text is a whole-paragraph claim, as the app calls it. The selector is the app's own.
 */
export function randomClaim(text: string, wordStarts: readonly number[], rand: () => number) {
  let whole = rand() < 0.15;
  let start = 0;
  let end = text.length;
  if (!whole && wordStarts.length > 0) {
    const first = Math.floor(rand() * wordStarts.length);
    const words = 3 + Math.floor(rand() * 23);
    start = wordStarts[first]!;
    const next = wordStarts[first + words];
    // End at the end of the last word (before the space that starts the next one).
    end = next === undefined ? text.length : text.slice(0, next).trimEnd().length;
    if (start === 0 && end === text.length) whole = true;
  }
  return { whole, selector: selectorFor(text, start, end) };
}

/** A body of 8–97 words. */
export function randomBody(rand: () => number): string {
  const pick = picker(rand);
  return Array.from({ length: 8 + Math.floor(rand() * 90) }, () => pick(WORDS)).join(" ") + ".";
}

/** A source link's fields (all null for other kinds): URL, a title 80% of the time, a stance. */
export function randomSource(isSource: boolean, rand: () => number) {
  const pick = picker(rand);
  return {
    sourceUrl: isSource ? `https://example.org/reports/${Math.floor(rand() * 5000)}` : null,
    sourceTitle: isSource && rand() < 0.8 ? `Report ${Math.floor(rand() * 5000)}` : null,
    stance: isSource ? pick<SourceStance>(["SUPPORTS", "REFUTES", "CONTEXT"]) : null,
  };
}
