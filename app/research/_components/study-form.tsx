"use client";

import { useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import type { StudyDto } from "@/lib/research/studies";

export function StudyForm({ onCreated }: { onCreated: (s: StudyDto) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setError("Give the study a name.");
      return;
    }
    setBusy(true);
    const res = await send<{ study: StudyDto }>("/api/v1/studies", "POST", { name, description: description || undefined });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.fields.name ? `Name ${res.error.fields.name}.` : res.error.message);
      return;
    }
    onCreated(res.data.study);
    setName("");
    setDescription("");
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="mt-4 border-t border-stone-200 pt-4" noValidate>
      <h3 className="text-sm font-semibold">New study</h3>
      <label htmlFor="study-name" className="mt-2 block text-sm font-medium">
        Name
      </label>
      <input
        id="study-name"
        value={name}
        maxLength={120}
        onChange={(e) => setName(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "study-error" : undefined}
        className="mt-1 block w-full rounded border border-stone-400 px-2 py-1.5 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
      />
      <label htmlFor="study-description" className="mt-2 block text-sm font-medium">
        Description <span className="font-normal text-stone-600">(optional)</span>
      </label>
      <textarea
        id="study-description"
        value={description}
        maxLength={2000}
        rows={2}
        onChange={(e) => setDescription(e.target.value)}
        className="mt-1 block w-full rounded border border-stone-400 px-2 py-1.5 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
      />
      {error && (
        <p id="study-error" role="alert" className="mt-2 text-sm font-medium text-red-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="mt-3 rounded border border-stone-700 bg-white px-3 py-1.5 text-sm font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60"
      >
        {busy ? "Creating…" : "Create study"}
      </button>
    </form>
  );
}
