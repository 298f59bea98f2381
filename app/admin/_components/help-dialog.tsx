"use client";

import { useEffect, useRef } from "react";

export const SHORTCUTS: [string, string][] = [
  ["j", "Next item"],
  ["k", "Previous item"],
  ["p", "Publish (restore, if it is hidden or rejected)"],
  ["h", "Hide — asks for a reason; Enter sends it"],
  ["r", "Reject — asks for a reason; Enter sends it"],
  ["e", "Reviewed, keep (closes the reports, stays published)"],
  ["x", "Select or unselect the item (for bulk decisions)"],
  ["u", "Undo your last decision"],
  ["?", "Show this list"],
  ["Esc", "Close this list, or cancel a reason"],
];

/**
 * The keyboard help: a modal <dialog> (focus stays inside, Escape closes it). Focus goes back
 * to what had it before it opened.
 */
export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby="shortcuts-title"
      onClose={() => {
        onClose();
        const el = returnTo.current;
        if (el && document.contains(el)) el.focus();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-stone-300 bg-white p-0 text-stone-900 shadow-xl backdrop:bg-stone-900/50"
    >
      <div className="p-5">
        <h2 id="shortcuts-title" className="text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <p className="mt-1 text-sm text-stone-700">They work when the cursor is not in a text field.</p>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {SHORTCUTS.map(([key, what]) => (
            <div key={key} className="contents">
              <dt>
                <kbd className="rounded border border-stone-400 bg-stone-100 px-1.5 py-0.5 font-mono text-xs">{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog" className="mt-5 text-right">
          <button
            type="submit"
            autoFocus
            className="rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Close
          </button>
        </form>
      </div>
    </dialog>
  );
}
