"use client";

import type { ReactNode } from "react";
import type { Kind } from "@/lib/annotations/limits";

export type ListSort = "helpful" | "newest";

/**
 * Toggle buttons in a labelled group (aria-pressed on the one in force): the list's order and its
 * kind filter. Choosing the pressed one, or any while `disabled`, does nothing.
 */
function ToggleGroup<T>({
  label,
  prefix,
  options,
  value,
  disabled,
  onChange,
  children,
}: {
  label: string;
  prefix: string;
  options: readonly { value: T; label: string }[];
  value: T;
  disabled: boolean;
  onChange: (v: T) => void;
  children?: ReactNode;
}) {
  return (
    <div role="group" aria-label={label} className="mb-3 flex flex-wrap items-center gap-2 text-sm">
      <span aria-hidden="true" className="text-stone-700">
        {prefix}
      </span>
      {options.map((o) => (
        <button
          key={o.label}
          type="button"
          aria-pressed={value === o.value}
          aria-disabled={disabled || undefined}
          onClick={() => {
            if (!disabled && value !== o.value) onChange(o.value);
          }}
          className="rounded border border-stone-300 px-2 py-0.5 aria-pressed:border-stone-900 aria-pressed:bg-stone-900 aria-pressed:text-white focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          {o.label}
        </button>
      ))}
      {children}
    </div>
  );
}

const SORT_OPTIONS: { value: ListSort; label: string }[] = [
  { value: "helpful", label: "Most helpful" },
  { value: "newest", label: "Newest" },
];

/** "Most helpful / Newest": the pressed one is the order shown. */
export function SortToggle({ sort, disabled, onChange }: { sort: ListSort; disabled: boolean; onChange: (s: ListSort) => void }) {
  return (
    <ToggleGroup label="Order of contributions" prefix="Order:" options={SORT_OPTIONS} value={sort} disabled={disabled} onChange={onChange}>
      <a href="/ranking" className="ml-auto text-xs text-stone-700 underline">
        How “Most helpful” works
      </a>
    </ToggleGroup>
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
  return <ToggleGroup label="Show contributions of one kind" prefix="Show:" options={KIND_OPTIONS} value={kind} disabled={disabled} onChange={onChange} />;
}
