"use client";

import { useEffect, useId, useRef, useState } from "react";

/**
 * "Copy link": puts an absolute address on the clipboard and says so; where the clipboard is
 * refused (an insecure origin, a denied permission) the address is shown selected, to copy by hand.
 */
export function CopyLink({ path, label, what, className }: { path: string; label: string; what: string; className?: string }) {
  const uid = useId();
  const [state, setState] = useState<"idle" | "copied" | "manual">("idle");
  const inputRef = useRef<HTMLInputElement>(null);
  const url = typeof window === "undefined" ? path : new URL(path, window.location.origin).toString();

  useEffect(() => {
    if (state === "manual") inputRef.current?.select();
    if (state !== "copied") return;
    const t = window.setTimeout(() => setState("idle"), 4000);
    return () => window.clearTimeout(t);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setState("copied");
    } catch {
      setState("manual");
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        onClick={() => void copy()}
        data-copy-link={url}
        className={className ?? "rounded underline underline-offset-2 hover:text-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"}
      >
        {label}
        <span className="sr-only"> {what}</span>
      </button>
      <span aria-live="polite" className={state === "copied" ? "" : "sr-only"}>
        {state === "copied" ? "Link copied" : ""}
      </span>
      {state === "manual" && (
        <span className="inline-flex items-center gap-1">
          <label htmlFor={`${uid}-url`} className="text-stone-700">
            Copy this link:
          </label>
          <input
            id={`${uid}-url`}
            ref={inputRef}
            readOnly
            value={url}
            onBlur={() => setState("idle")}
            className="w-56 rounded border border-stone-300 px-1 py-0.5 font-mono text-xs"
          />
        </span>
      )}
    </span>
  );
}
