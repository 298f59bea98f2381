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

const FOLD = new Map<number, string>([
  [0x2018, "'"], // ‘
  [0x2019, "'"], // ’
  [0x201a, "'"], // ‚
  [0x201b, "'"], // ‛
  [0x2032, "'"], // ′
  [0x02bc, "'"], // ʼ
  [0x201c, '"'], // “
  [0x201d, '"'], // ”
  [0x201e, '"'], // „
  [0x201f, '"'], // ‟
  [0x2033, '"'], // ″
  [0x2010, "-"], // ‐
  [0x2011, "-"], // non-breaking hyphen
  [0x2012, "-"], // ‒
  [0x2013, "-"], // –
  [0x2014, "-"], // —
  [0x2015, "-"], // ―
  [0x2212, "-"], // −
  [0xfe58, "-"],
  [0xfe63, "-"],
  [0xff0d, "-"],
  [0x2026, "..."], // …
]);

/** What JavaScript's \s matches. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    (c >= 0xa0 &&
      (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff))
  );
}

/** Characters that carry no text: soft hyphen, zero-width space and joiners, word joiner. */
function isInvisible(c: number): boolean {
  return c === 0xad || (c >= 0x200b && c <= 0x200d) || c === 0x2060;
}

const MARK = /\p{M}/u;

export function normalizeText(input: string): NormalizedText {
  let out = "";
  const map: number[] = [];
  const ends: number[] = [];
  let lastWasSpace = false;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input.charCodeAt(i);
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    if (isSpace(c)) {
      if (lastWasSpace) {
        ends[ends.length - 1] = i + 1;
      } else {
        out += " ";
        map.push(i);
        ends.push(i + 1);
        lastWasSpace = true;
      }
      i += 1;
      continue;
    }
    if (isInvisible(c)) {
      i += 1;
      continue;
    }
    lastWasSpace = false;
    // A base character with its combining marks is composed (NFC) as one unit.
    let j = i + width;
    while (j < n) {
      const d = input.charCodeAt(j);
      if (d < 0x300) break;
      const w = d >= 0xd800 && d <= 0xdbff && j + 1 < n ? 2 : 1;
      if (!MARK.test(input.slice(j, j + w))) break;
      j += w;
    }
    const unit = j > i + width ? input.slice(i, j).normalize("NFC") : width === 1 ? (FOLD.get(c) ?? input[i]!) : input.slice(i, j);
    out += unit;
    for (let k = 0; k < unit.length; k++) {
      map.push(i);
      ends.push(j);
    }
    i = j;
  }
  map.push(n);
  return { text: out, map, ends };
}
