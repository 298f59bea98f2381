"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { NEGATIVE_TAGS, POSITIVE_TAGS, RATING_VALUES, type RatingTag, type RatingValueName } from "@/lib/ranking/config";
import { RATING_TAG_LABEL, RATING_VALUE_LABEL } from "@/lib/ranking/labels";
import type { ContributionDto } from "@/lib/annotations/dto";
import { send } from "../api";

type Distribution = NonNullable<ContributionDto["ratings"]>;
type Mine = NonNullable<ContributionDto["myRating"]>;

const TAGS_FOR: Record<RatingValueName, readonly RatingTag[]> = {
  HELPFUL: POSITIVE_TAGS,
  SOMEWHAT_HELPFUL: [...POSITIVE_TAGS, ...NEGATIVE_TAGS],
  NOT_HELPFUL: NEGATIVE_TAGS,
};

function describe(d: Distribution): string {
  const n = (k: number, what: string) => `${k} ${what}`;
  return `${d.total} ${d.total === 1 ? "rating" : "ratings"}: ${n(d.helpful, "helpful")}, ${n(d.somewhat, "somewhat helpful")}, ${n(d.notHelpful, "not helpful")}.`;
}

/**
 * "Rate": a signed-in reader rates someone else's contribution helpful, somewhat helpful or not
 * helpful, with optional reasons that point the same way. Others' ratings appear only after
 * rating (so nobody follows the crowd). Native radios and checkboxes: arrow keys, Space, labels.
 */
export function RatingControl({ contribution: c, what }: { contribution: ContributionDto; what: string }) {
  const uid = useId();
  const [mine, setMine] = useState<Mine | null>(c.myRating);
  const [distribution, setDistribution] = useState<Distribution | null>(c.ratings);
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState<RatingValueName | "">(c.myRating?.value ?? "");
  const [tags, setTags] = useState<RatingTag[]>(c.myRating?.tags ?? []);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const firstRadioRef = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const focusNext = useRef<"form" | "summary" | "toggle" | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === "form") {
      const checked = document.querySelector<HTMLInputElement>(`input[name="${uid}-value"]:checked`);
      (checked ?? firstRadioRef.current)?.focus();
    } else if (target === "summary") summaryRef.current?.focus();
    else if (target === "toggle") toggleRef.current?.focus();
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!value) {
      setMessage("Choose how helpful it is.");
      return;
    }
    setBusy(true);
    setMessage(null);
    const res = await send<{ rating: Mine; ratings: Distribution }>(`/api/contributions/${c.id}/rating`, "PUT", {
      value,
      tags: tags.filter((t) => TAGS_FOR[value].includes(t)),
    });
    setBusy(false);
    if (!res.ok) {
      setMessage(res.error.fields.tags ?? res.error.message);
      return;
    }
    setMine({ value: res.data.rating.value, tags: res.data.rating.tags });
    setDistribution(res.data.ratings);
    setOpen(false);
    focusNext.current = "summary";
  }

  async function withdraw() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    const res = await send<void>(`/api/contributions/${c.id}/rating`, "DELETE");
    setBusy(false);
    if (!res.ok) {
      setMessage(res.error.message);
      return;
    }
    setMine(null);
    setDistribution(null);
    setValue("");
    setTags([]);
    focusNext.current = "toggle";
  }

  const available = value ? TAGS_FOR[value] : [];

  return (
    <div className="mt-2 text-sm">
      {mine && !open && (
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <p ref={summaryRef} tabIndex={-1} role="status" className="text-stone-800 outline-none">
            You rated this {RATING_VALUE_LABEL[mine.value].toLowerCase()}
            {mine.tags.length > 0 && <> ({mine.tags.map((t) => RATING_TAG_LABEL[t].toLowerCase()).join(", ")})</>}.
            {distribution && <span className="text-stone-700"> {describe(distribution)}</span>}
          </p>
          <button
            type="button"
            onClick={() => {
              setValue(mine.value);
              setTags(mine.tags);
              setOpen(true);
              focusNext.current = "form";
            }}
            className="underline"
          >
            Change<span className="sr-only"> your rating of this {what}</span>
          </button>
          <button type="button" aria-disabled={busy || undefined} onClick={() => void withdraw()} className="underline aria-disabled:opacity-60">
            Withdraw<span className="sr-only"> your rating of this {what}</span>
          </button>
        </div>
      )}
      {!mine && !open && (
        <button
          ref={toggleRef}
          type="button"
          aria-expanded={false}
          onClick={() => {
            setOpen(true);
            focusNext.current = "form";
          }}
          className="rounded text-stone-700 underline underline-offset-2 hover:text-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Rate<span className="sr-only"> this {what}</span>
        </button>
      )}
      {open && (
        <form onSubmit={(e) => void submit(e)} className="mt-1 rounded border border-stone-300 bg-stone-50 p-2" aria-label={`Rate this ${what}`}>
          <fieldset>
            <legend className="font-medium text-stone-900">How helpful is this {what}?</legend>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
              {RATING_VALUES.map((v, i) => (
                <label key={v} className="inline-flex items-center gap-1.5">
                  <input
                    ref={i === 0 ? firstRadioRef : undefined}
                    type="radio"
                    name={`${uid}-value`}
                    value={v}
                    checked={value === v}
                    onChange={() => setValue(v)}
                  />
                  {RATING_VALUE_LABEL[v]}
                </label>
              ))}
            </div>
          </fieldset>
          {available.length > 0 && (
            <fieldset className="mt-2">
              <legend className="text-stone-800">Why? (optional)</legend>
              <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                {available.map((t) => (
                  <label key={t} className="inline-flex items-center gap-1.5">
                    <input
                      type="checkbox"
                      checked={tags.includes(t)}
                      onChange={(e) => setTags((prev) => (e.target.checked ? [...prev, t] : prev.filter((x) => x !== t)))}
                    />
                    {RATING_TAG_LABEL[t]}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          {message && (
            <p role="alert" className="mt-2 text-red-800">
              {message}
            </p>
          )}
          <div className="mt-2 flex gap-3">
            <button type="submit" aria-disabled={busy || undefined} className="rounded bg-stone-900 px-3 py-1 text-white aria-disabled:opacity-60">
              Save rating
            </button>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                setMessage(null);
                focusNext.current = mine ? "summary" : "toggle";
              }}
              className="underline"
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
