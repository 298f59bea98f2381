"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { send } from "@/app/_components/api";

/** Marks one notification (or all) read, then refreshes the page and the header's count. */
export function MarkRead({ id, all, label, what }: { id?: string; all?: boolean; label: string; what?: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className={all ? "mt-4 block" : ""}>
      <button
        type="button"
        aria-disabled={busy || undefined}
        onClick={async () => {
          if (busy) return;
          setBusy(true);
          const res = await send<{ marked: number }>("/api/me/notifications/read", "POST", all ? { all: true } : { ids: [id] });
          setBusy(false);
          if (!res.ok) {
            setError(res.error.message);
            return;
          }
          window.dispatchEvent(new Event("marginalia:notifications"));
          router.refresh();
        }}
        className="rounded border border-stone-400 bg-white px-2 py-0.5 text-sm hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500 aria-disabled:opacity-60"
      >
        {label}
        {what && <span className="sr-only"> {what}</span>}
      </button>
      {error && (
        <span role="alert" className="ml-2 text-sm text-red-800">
          {error}
        </span>
      )}
    </span>
  );
}
