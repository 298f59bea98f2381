import { MARK_END, MARK_START } from "./config";

/** A snippet of a contribution's text: plain-text pieces, the matched words marked. */
export type Snippet = { text: string; marked: boolean }[];

/**
 * A ts_headline result (with MARK_START / MARK_END around matched words) as pieces of plain
 * text. White space runs become one space (the snippet is one line); an unbalanced marker
 * cannot occur (the text had them removed) but would only end the marked piece.
 */
export function parseHeadline(headline: string): Snippet {
  const out: Snippet = [];
  let marked = false;
  let text = "";
  const flush = () => {
    if (text) {
      const last = out[out.length - 1];
      if (last && last.marked === marked) last.text += text;
      else out.push({ text, marked });
    }
    text = "";
  };
  for (const ch of headline.replace(/\s+/g, " ").trim()) {
    if (ch === MARK_START || ch === MARK_END) {
      flush();
      marked = ch === MARK_START;
    } else text += ch;
  }
  flush();
  return out;
}
