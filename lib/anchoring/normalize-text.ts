/**
 * Text as re-anchoring compares it: Unicode NFC, curly quotes and primes folded to ' and ",
 * every dash and minus to -, an ellipsis to ..., soft hyphens and zero-width characters
 * dropped, and every run of white space (NBSP included) collapsed to one space. Case is kept.
 *
 * `map[i]` is the offset in the original text (UTF-16 code units) where normalised code unit i
 * comes from, `ends[i]` the offset just after it; `map[text.length]` is the original length.
 * So a normalised span [s, e) is the original span [map[s], ends[e - 1]). Every offset is on a
 * code point boundary.
 * See docs/decisions/0029-server-side-reanchoring.md.
 */
export interface NormalizedText {
  text: string;
  map: number[];
  ends: number[];
}

const FOLD: Record<string, string> = {
  "\u2018": "'", // ‘
  "\u2019": "'", // ’
  "\u201a": "'", // ‚
  "\u201b": "'", // ‛
  "\u2032": "'", // ′
  "\u02bc": "'", // ʼ
  "\u201c": '"', // “
  "\u201d": '"', // ”
  "\u201e": '"', // „
  "\u201f": '"', // ‟
  "\u2033": '"', // ″
  "\u2010": "-", // ‐
  "\u2011": "-", // non-breaking hyphen
  "\u2012": "-", // ‒
  "\u2013": "-", // –
  "\u2014": "-", // —
  "\u2015": "-", // ―
  "\u2212": "-", // −
  "\ufe58": "-",
  "\ufe63": "-",
  "\uff0d": "-",
  "\u2026": "...", // …
};

/** Characters that carry no text: soft hyphen, zero-width space/joiners, word joiner, BOM. */
const INVISIBLE = /[\u00ad\u200b\u200c\u200d\u2060\ufeff]/;
const SPACE = /\s/;
const MARK = /\p{M}/u;

export function normalizeText(input: string): NormalizedText {
  const out: string[] = [];
  const map: number[] = [];
  const ends: number[] = [];
  let lastWasSpace = false;
  let i = 0;
  while (i < input.length) {
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = input.slice(i, i + width);
    if (SPACE.test(ch)) {
      if (lastWasSpace) {
        ends[ends.length - 1] = i + width;
      } else {
        out.push(" ");
        map.push(i);
        ends.push(i + width);
        lastWasSpace = true;
      }
      i += width;
      continue;
    }
    if (INVISIBLE.test(ch)) {
      i += width;
      continue;
    }
    lastWasSpace = false;
    // A base character with its combining marks is composed (NFC) as one unit.
    let j = i + width;
    while (j < input.length) {
      const next = input.codePointAt(j)!;
      const w = next > 0xffff ? 2 : 1;
      if (!MARK.test(input.slice(j, j + w))) break;
      j += w;
    }
    const unit = j > i + width ? input.slice(i, j).normalize("NFC") : (FOLD[ch] ?? ch);
    for (let k = 0; k < unit.length; k++) {
      out.push(unit[k]!);
      map.push(i);
      ends.push(j);
    }
    i = j;
  }
  map.push(input.length);
  return { text: out.join(""), map, ends };
}
