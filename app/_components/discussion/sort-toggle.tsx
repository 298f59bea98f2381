"use client";

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
