"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="font-serif text-3xl font-semibold">Something went wrong</h1>
      <p className="mt-4 text-stone-700">The page could not be shown. Nothing you wrote was lost.</p>
      <button type="button" onClick={reset} className="mt-6 rounded bg-stone-900 px-4 py-2 text-white">
        Try again
      </button>
    </div>
  );
}
