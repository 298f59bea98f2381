/**
 * Drops a lone low surrogate at the start and a lone high surrogate at the end: what is left of a
 * character cut in half when a string was sliced by UTF-16 code units. (UTF-8, and so PostgreSQL,
 * cannot carry half a character: it would be stored as U+FFFD.)
 */
export function trimBrokenSurrogates(s: string): string {
  let start = 0;
  let end = s.length;
  if (end > 0) {
    const first = s.charCodeAt(0);
    if (first >= 0xdc00 && first <= 0xdfff) start = 1;
  }
  if (end > start) {
    const last = s.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  }
  return start === 0 && end === s.length ? s : s.slice(start, end);
}
