import type { DiffPart, ParagraphChangeView } from "@/lib/content/paragraph-changes";

/**
 * A word-level diff, readable without colour: inserted words are underlined and deleted ones
 * struck through, each announced by a text label ("inserted:" / "deleted:", visually hidden but
 * read and copied), with a visible legend (DiffLegend). Used by the history page and the admin's
 * "Preview changes".
 */
export function WordDiff({ parts }: { parts: DiffPart[] }) {
  return (
    <p className="whitespace-pre-line font-serif text-stone-900">
      {parts.map((p, i) =>
        p.op === "same" ? (
          <span key={i}>{p.text}</span>
        ) : p.op === "ins" ? (
          <ins key={i} className="bg-emerald-100 text-emerald-950 underline decoration-2 underline-offset-2">
            <span className="sr-only">[inserted: </span>
            {p.text}
            <span className="sr-only">]</span>
          </ins>
        ) : (
          <del key={i} className="bg-red-100 text-red-950 line-through decoration-2">
            <span className="sr-only">[deleted: </span>
            {p.text}
            <span className="sr-only">]</span>
          </del>
        ),
      )}
    </p>
  );
}

export function DiffLegend() {
  return (
    <p className="text-sm text-stone-700">
      Key: <ins className="bg-emerald-100 text-emerald-950 underline decoration-2 underline-offset-2">underlined words were inserted</ins>,{" "}
      <del className="bg-red-100 text-red-950 line-through decoration-2">struck-through words were deleted</del>.
    </p>
  );
}

export const CHANGE_LABEL: Record<ParagraphChangeView["kind"], string> = {
  moved: "Moved",
  edited: "Edited",
  split: "Split",
  merged: "Merged",
  deleted: "Deleted",
  inserted: "Inserted",
};

function describe(c: ParagraphChangeView): string {
  const n = (k: number) => `${k} paragraph${k === 1 ? "" : "s"}`;
  switch (c.kind) {
    case "split":
      return `Split into ${n(c.after.length)}`;
    case "merged":
      return `${n(c.before.length)} merged into one`;
    case "moved":
      return "Moved (text unchanged)";
    default:
      return CHANGE_LABEL[c.kind];
  }
}

/** One changed paragraph: what happened, the anchors involved, and the diff. `id` lets an old deep link land on it. */
export function ChangeItem({ change, id }: { change: ParagraphChangeView; id?: string }) {
  const anchors = [
    ...change.before.map((p) => `was ¶ ${p.anchorId}`),
    ...change.after.map((p) => `now ¶ ${p.anchorId}`),
  ];
  return (
    <li id={id} tabIndex={id ? -1 : undefined} className="scroll-mt-24 rounded border border-stone-300 bg-white p-3 target:ring-2 target:ring-amber-500 focus:outline-none">
      <p className="text-sm font-semibold text-stone-800">{describe(change)}</p>
      <p className="mt-1 break-all font-mono text-xs text-stone-600">{anchors.join(" · ")}</p>
      <div className="mt-2">
        <WordDiff parts={change.diff} />
      </div>
    </li>
  );
}
