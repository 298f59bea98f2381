"use client";

import { useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";

export interface NotificationSettings {
  notifyReplies: boolean;
  notifyFollowed: boolean;
  notifyModeration: boolean;
  autoFollow: boolean;
  digest: "OFF" | "DAILY" | "WEEKLY";
}

const DIGESTS: { value: NotificationSettings["digest"]; label: string }[] = [
  { value: "OFF", label: "No email" },
  { value: "DAILY", label: "Daily" },
  { value: "WEEKLY", label: "Weekly" },
];

const CHOICES: { key: Exclude<keyof NotificationSettings, "digest">; label: string; hint: string }[] = [
  { key: "notifyReplies", label: "Replies to my contributions", hint: "Someone answers something you wrote." },
  { key: "notifyFollowed", label: "New contributions on what I follow", hint: "Articles, paragraphs and threads you follow." },
  { key: "notifyModeration", label: "Moderators’ decisions on my contributions", hint: "Hidden, rejected, published, restored, an appeal decided." },
  { key: "autoFollow", label: "Follow a thread when I post or reply in it", hint: "You can still unfollow any thread." },
];

/** What a person is told of, saved together, with the outcome announced. */
export function NotificationSettingsForm({ initial }: { initial: NotificationSettings }) {
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const changed = CHOICES.some((c) => values[c.key] !== saved[c.key]) || values.digest !== saved.digest;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await send<{ settings: NotificationSettings }>("/api/me/settings", "PATCH", values);
    setBusy(false);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error.message });
      return;
    }
    const r = res.data.settings;
    const next = { notifyReplies: r.notifyReplies, notifyFollowed: r.notifyFollowed, notifyModeration: r.notifyModeration, autoFollow: r.autoFollow, digest: r.digest };
    setSaved(next);
    setValues(next);
    setMessage({ ok: true, text: "Saved. Notifications follow these choices from now on." });
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="mt-4">
      <fieldset>
        <legend className="sr-only">Tell me about</legend>
        <div className="space-y-3">
          {CHOICES.map((c) => (
            <div key={c.key} className="flex items-start gap-3">
              <input
                id={`setting-${c.key}`}
                type="checkbox"
                checked={values[c.key]}
                onChange={(e) => setValues({ ...values, [c.key]: e.target.checked })}
                aria-describedby={`setting-${c.key}-hint`}
                className="mt-1 h-4 w-4 accent-stone-900"
              />
              <div>
                <label htmlFor={`setting-${c.key}`} className="font-medium text-stone-900">
                  {c.label}
                </label>
                <p id={`setting-${c.key}-hint`} className="text-sm text-stone-700">
                  {c.hint}
                </p>
              </div>
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset className="mt-5" aria-describedby="digest-hint">
        <legend className="font-medium text-stone-900">Email digest of unread notifications</legend>
        <p id="digest-hint" className="text-sm text-stone-700">
          Sent to your confirmed address, with a one-click unsubscribe link; nothing is sent when nothing is unread.
        </p>
        <div className="mt-2 flex flex-wrap gap-4">
          {DIGESTS.map((d) => (
            <label key={d.value} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="digest"
                value={d.value}
                checked={values.digest === d.value}
                onChange={() => setValues({ ...values, digest: d.value })}
                className="h-4 w-4 accent-stone-900"
              />
              {d.label}
            </label>
          ))}
        </div>
      </fieldset>
      <button
        type="submit"
        disabled={busy || !changed}
        className="mt-4 rounded bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:cursor-not-allowed disabled:bg-stone-500"
      >
        {busy ? "Saving…" : "Save notification settings"}
      </button>
      <p role="status" className={`mt-3 text-sm ${message?.ok === false ? "font-medium text-red-800" : "text-stone-800"}`}>
        {message?.text ?? ""}
      </p>
    </form>
  );
}
