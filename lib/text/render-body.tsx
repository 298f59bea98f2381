import type { ReactNode } from "react";
import { trimBrokenSurrogates } from "./surrogates";
import { isSafeHttpUrl } from "./url";

/**
 * The one rendering path for text users write. Input is stored raw; here it becomes React
 * elements (never an HTML string), so markup in it is shown as text and cannot execute.
 * Supported subset: paragraphs, line breaks, "> " quotes, "- " lists, **bold**, *italic*,
 * `code`, and [text](https://…) links (http/https only; anything else stays plain text).
 */

type Block = { type: "p" | "quote"; lines: string[] } | { type: "ul"; items: string[] };

function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let cur: Block | null = null;
  const flush = () => {
    if (cur) blocks.push(cur);
    cur = null;
  };
  for (const line of lines) {
    if (!line.trim()) {
      flush();
      continue;
    }
    const quote = /^\s*>\s?(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (quote) {
      if (cur?.type !== "quote") flush();
      cur ??= { type: "quote", lines: [] };
      (cur as { lines: string[] }).lines.push(quote[1]!);
    } else if (item) {
      if (cur?.type !== "ul") flush();
      cur ??= { type: "ul", items: [] };
      (cur as { items: string[] }).items.push(item[1]!);
    } else {
      if (cur?.type !== "p") flush();
      cur ??= { type: "p", lines: [] };
      (cur as { lines: string[] }).lines.push(line);
    }
  }
  flush();
  return blocks;
}

const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\*[^*\n]+\*|(?<![\p{L}\p{N}])_[^_\n]+_(?![\p{L}\p{N}]))|(\[[^\]\n]+\]\((?:[^()\s]|\([^()\s]*\))+\))/u;

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let i = 0;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const tok = m[0];
    const k = `${key}-${i++}`;
    if (m[1]) out.push(<code key={k}>{tok.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={k}>{inline(tok.slice(2, -2), k)}</strong>);
    else if (m[3]) out.push(<em key={k}>{inline(tok.slice(1, -1), k)}</em>);
    else {
      const lm = /^\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)$/.exec(tok)!;
      const href = lm[2]!;
      if (isSafeHttpUrl(href)) {
        out.push(
          <a key={k} href={href} rel="nofollow ugc noopener noreferrer" target="_blank">
            {lm[1]}
          </a>,
        );
      } else {
        out.push(tok);
      }
    }
    rest = rest.slice(m.index + tok.length);
  }
  return out;
}

function withBreaks(lines: string[], key: string): ReactNode[] {
  return lines.flatMap((l, i) => (i === 0 ? inline(l, `${key}-${i}`) : [<br key={`${key}-br${i}`} />, ...inline(l, `${key}-${i}`)]));
}

export function renderBody(text: string): ReactNode {
  return toBlocks(text).map((b, i) => {
    const key = `b${i}`;
    if (b.type === "ul") {
      return (
        <ul key={key}>
          {b.items.map((it, j) => (
            <li key={j}>{inline(it, `${key}-${j}`)}</li>
          ))}
        </ul>
      );
    }
    if (b.type === "quote") return <blockquote key={key}>{withBreaks(b.lines, key)}</blockquote>;
    return <p key={key}>{withBreaks(b.lines, key)}</p>;
  });
}

/**
 * The first line of what a user wrote, as plain text for a one-line teaser (the margin's top
 * item): its first non-empty line, without the quote or list marker and the inline markers
 * (`code`, **bold**, *italic*, [text](url) becomes text), cut at `max` characters with "…".
 * A string, rendered by React as text, so nothing in it can become markup.
 */
export function firstLineText(text: string, max = 140): string {
  const block = toBlocks(text)[0];
  const line = !block ? "" : block.type === "ul" ? block.items[0]! : block.lines[0]!;
  const plain = line
    .replace(/`([^`\n]+)`/g, "$1")
    .replace(/\*\*([^*\n]+)\*\*/g, "$1")
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replace(/(?<![\p{L}\p{N}])_([^_\n]+)_(?![\p{L}\p{N}])/gu, "$1")
    .replace(/\[([^\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))+\)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.length <= max) return plain;
  const cut = trimBrokenSurrogates(plain.slice(0, max - 1));
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A search snippet (lib/search/snippet.ts): plain text, the words that matched in <mark>. Like
 * renderBody, React elements only: the text is never parsed as HTML (nor as the markdown subset,
 * since a snippet is a cut of the text and its markup may be cut in half).
 */
export function renderSnippet(pieces: readonly { text: string; marked: boolean }[]): ReactNode {
  return pieces.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : p.text));
}
