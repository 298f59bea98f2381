import { createHash } from "node:crypto";

/**
 * Stable paragraph anchor ids, derived only from the paragraph's own text so they survive
 * restarts, rebuilds and a fresh database: `p-<first words>-<6 hex of sha256(text)>`.
 * Identical paragraphs within one article get `-2`, `-3`, … in order of appearance.
 * See docs/decisions/0001-paragraph-anchors.md.
 */

export function normalizeParagraphText(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

function slugWords(text: string, count: number): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, count)
    .join("-");
}

export function anchorIdFor(text: string): string {
  const norm = normalizeParagraphText(text);
  const hash = createHash("sha256").update(norm).digest("hex").slice(0, 6);
  const words = slugWords(norm, 4);
  return words ? `p-${words}-${hash}` : `p-${hash}`;
}

/** Anchor ids for an article's paragraphs, in order, unique within the article. */
export function anchorIdsFor(paragraphs: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return paragraphs.map((p) => {
    const base = anchorIdFor(p);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}
