"use client";

import type { Kind } from "@/lib/annotations/limits";

export type ListSort = "helpful" | "newest";

const OPTIONS: { value: ListSort; label: string }[] = [
  { value: "helpful", label: "Most helpful" },
  { value: "newest", label: "Newest" },
];

/** "Most helpful / Newest": two toggle buttons in a labelled group; the pressed one is the order shown. */
export function SortToggle({ sort, disabled, onChange }: { sort: ListSort; disabled: boolean; onChange: (s: ListSort) => void }) {
  return (
    <div role="group" aria-label="Order of contributions" className="mb-3 flex items-center gap-2 text-sm">
      <span aria-hidden="true" className="text-stone-700">
        Order:
      </span>
      {OPTIONS.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={sort === o.value}
          aria-disabled={disabled || undefined}
          onClick={() => {
            if (!disabled && sort !== o.value) onChange(o.value);
          }}
          className="rounded border border-stone-300 px-2 py-0.5 aria-pressed:border-stone-900 aria-pressed:bg-stone-900 aria-pressed:text-white focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          {o.label}
        </button>
      ))}
      <a href="/ranking" className="ml-auto text-xs text-stone-700 underline">
        How “Most helpful” works
      </a>
    </div>
  );
}

const KIND_OPTIONS: { value: Kind | null; label: string }[] = [
  { value: null, label: "All" },
  { value: "ANNOTATION", label: "Annotations" },
  { value: "COUNTERPOINT", label: "Counterpoints" },
  { value: "SOURCE", label: "Sources" },
];

/** "All / Annotations / Counterpoints / Sources": which kind of top-level contribution the list shows. */
export function KindFilter({ kind, disabled, onChange }: { kind: Kind | null; disabled: boolean; onChange: (k: Kind | null) => void }) {
  return (
    <div role="group" aria-label="Show contributions of one kind" className="mb-3 flex flex-wrap items-center gap-2 text-sm">
      <span aria-hidden="true" className="text-stone-700">
        Show:
      </span>
      {KIND_OPTIONS.map((o) => (
        <button
          key={o.label}
          type="button"
          aria-pressed={kind === o.value}
          aria-disabled={disabled || undefined}
          onClick={() => {
            if (!disabled && kind !== o.value) onChange(o.value);
          }}
          className="rounded border border-stone-300 px-2 py-0.5 aria-pressed:border-stone-900 aria-pressed:bg-stone-900 aria-pressed:text-white focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
