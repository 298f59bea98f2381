/** Characters folded together when matching typed words against the paragraph (one for one). */
const FOLD: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201B": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u00A0": " ",
  "\u2013": "-",
  "\u2014": "-",
};

function fold(s: string): string {
  const chars = Array.from(s, (c) => FOLD[c] ?? c).join("");
  const lower = chars.toLowerCase();
  // Lower-casing must not change offsets (a few characters change length); then match exactly.
  return lower.length === chars.length ? lower : chars;
}

/**
 * Where `words` first appear in `text`, ignoring case, curly vs straight quotes and dash style
 * (the quote itself is the paragraph's own text). Null if they do not appear.
 */
export function findQuote(text: string, words: string): { start: number; end: number; exact: string } | null {
  const w = words.trim();
  if (!w) return null;
  const haystack = fold(text);
  const needle = fold(w);
  if (haystack.length !== text.length || needle.length !== w.length) {
    const start = text.indexOf(w);
    return start < 0 ? null : { start, end: start + w.length, exact: w };
  }
  const start = haystack.indexOf(needle);
  return start < 0 ? null : { start, end: start + w.length, exact: text.slice(start, start + w.length) };
}
