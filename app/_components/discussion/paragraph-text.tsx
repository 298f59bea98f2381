"use client";

import type { KeyboardEvent, ReactNode } from "react";

export interface Span {
  start: number;
  end: number;
}

interface Props {
  anchorId: string;
  text: string;
  highlights: [number, number][];
  /** Pieces of the highlighted ground with how many claims cover each (summary.ts). */
  depths?: [number, number, number][];
  active: Span | null;
  /** `offset`: a point all the listed claims cover (the clicked piece); `run`: the highlight it is in. */
  onOpenSpan: (offset: number, run: Span) => void;
}

/**
 * The paragraph's text, with highlighted claims as <mark>s. The text content of the element
 * equals the paragraph text exactly, so DOM selection offsets are claim offsets.
 */
export function ParagraphText({ anchorId, text, highlights, depths = [], active, onOpenSpan }: Props) {
  const cuts = new Set<number>([0, text.length]);
  for (const [s, e] of highlights) {
    cuts.add(s);
    cuts.add(e);
  }
  // Cut wherever a claim starts or ends, so that a click on a piece lists exactly the claims on it.
  for (const [s, e] of depths) {
    cuts.add(s);
    cuts.add(e);
  }
  if (active) {
    cuts.add(active.start);
    cuts.add(active.end);
  }
  const points = [...cuts].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
  const nodes: ReactNode[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const s = points[i]!;
    const e = points[i + 1]!;
    if (s === e) continue;
    const piece = text.slice(s, e);
    const hl = highlights.find(([hs, he]) => hs <= s && e <= he);
    const isActive = active !== null && active.start <= s && e <= active.end;
    if (!hl && !isActive) {
      nodes.push(piece);
      continue;
    }
    const focusable = hl ? hl[0] === s : false;
    const run = hl ? { start: hl[0], end: hl[1] } : null;
    const depth = depths.find(([ds, de]) => ds <= s && e <= de)?.[2] ?? (hl ? 1 : 0);
    const onKeyDown = (ev: KeyboardEvent) => {
      if (run && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        onOpenSpan(s, run);
      }
    };
    nodes.push(
      <mark
        key={`${s}-${e}`}
        className="claim"
        data-active={isActive ? "true" : undefined}
        data-start={s}
        data-depth={hl ? Math.min(depth, 3) : undefined}
        tabIndex={focusable ? 0 : undefined}
        role={hl ? "button" : undefined}
        aria-label={focusable ? `Show contributions on “${text.slice(hl![0], hl![1]).slice(0, 80)}”` : undefined}
        onClick={run ? () => onOpenSpan(s, run) : undefined}
        onKeyDown={focusable ? onKeyDown : undefined}
      >
        {piece}
      </mark>,
    );
  }
  return (
    <p data-paragraph-text={anchorId} className="font-serif text-[1.19rem] leading-[1.75] text-stone-900">
      {nodes}
    </p>
  );
}

/** Character offsets of a DOM range within a paragraph-text element, or null if outside it. */
export function rangeOffsets(container: HTMLElement, range: Range): Span | null {
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const pre = document.createRange();
  pre.selectNodeContents(container);
  pre.setEnd(range.startContainer, range.startOffset);
  const start = pre.toString().length;
  return { start, end: start + range.toString().length };
}

/** Shrinks a span so it neither starts nor ends with white space; null if nothing is left. */
export function trimSpan(text: string, span: Span): Span | null {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : null;
}
