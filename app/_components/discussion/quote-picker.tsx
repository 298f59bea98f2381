"use client";

import { useId, useRef, useState } from "react";
import { findQuote } from "@/lib/annotations/find-quote";
import type { Claim } from "./thread-panel";

/**
 * The keyboard way to respond to part of a paragraph: type (or paste) the words to quote.
 * Selecting with a mouse or touch does the same; this needs neither.
 */
export function QuotePicker({
  text,
  onPick,
  onWordsChange,
  error: outerError,
}: {
  text: string;
  onPick: (claim: Claim) => void;
  /** What is typed and not yet applied ("" when nothing is): the form uses it rather than post on the whole paragraph. */
  onWordsChange?: (words: string) => void;
  /** An error about the typed words found by the form (on posting). */
  error?: string | null;
}) {
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [words, setWords] = useState("");
  const [ownError, setError] = useState<string | null>(null);
  const error = ownError ?? outerError ?? null;
  const inputRef = useRef<HTMLInputElement>(null);

  function apply() {
    if (!words.trim()) {
      setError("Type or paste the words you want to quote.");
      inputRef.current?.focus();
      return;
    }
    const found = findQuote(text, words);
    if (!found) {
      setError("Those words are not in this paragraph. Copy them from it, punctuation included.");
      inputRef.current?.focus();
      return;
    }
    onPick({ kind: "span", ...found });
  }

  if (!open) {
    return (
      <button
        type="button"
        className="mt-1 underline"
        aria-expanded={false}
        onClick={() => {
          setOpen(true);
          setTimeout(() => inputRef.current?.focus(), 0);
        }}
      >
        Quote part of it
      </button>
    );
  }
  return (
    <div className="mt-2">
      <label htmlFor={`${uid}-words`} className="block font-medium">
        Words to quote
      </label>
      <p id={`${uid}-hint`} className="text-xs text-stone-700">
        As they appear in the paragraph; the first place they appear is used.
        {words.trim() ? " Not applied yet: press Quote these words (posting also uses them)." : ""}
      </p>
      <div className="mt-1 flex flex-wrap gap-2">
        <input
          id={`${uid}-words`}
          ref={inputRef}
          value={words}
          onChange={(e) => {
            setWords(e.target.value);
            onWordsChange?.(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            // Enter here picks the quote; it must not post the contribution around it.
            if (e.key === "Enter") {
              e.preventDefault();
              apply();
            }
            if (e.key === "Escape") {
              e.preventDefault();
              setOpen(false);
              setWords("");
              onWordsChange?.("");
            }
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${uid}-hint${error ? ` ${uid}-err` : ""}`}
          className="min-w-0 flex-1 rounded border border-stone-400 bg-white px-2 py-1 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
        />
        <button
          type="button"
          onClick={apply}
          className="rounded border border-stone-700 bg-white px-2 py-1 text-sm font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Quote these words
        </button>
      </div>
      {error && (
        <p id={`${uid}-err`} role="alert" className="mt-1 text-sm font-medium text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
