"use client";

import { createContext, useCallback, useContext, useEffect, useState } from "react";
import { getJson, send } from "../api";

interface Follows {
  /** Null until known (signed out: never). */
  following: (target: string) => boolean | null;
  toggle: (target: string) => Promise<string | null>;
}

export const FollowsContext = createContext<Follows | null>(null);

/** What the signed-in viewer follows on this article, and a way to change it (GET/POST /api/me/follows). */
export function useArticleFollows(slug: string, viewerId: string | null): Follows {
  const [targets, setTargets] = useState<Set<string> | null>(null);
  useEffect(() => {
    setTargets(null);
    if (!viewerId) return;
    let stopped = false;
    void getJson<{ targets: string[] }>(`/api/me/follows?article=${encodeURIComponent(slug)}`).then((res) => {
      if (!stopped && res.ok) setTargets(new Set(res.data.targets));
    });
    return () => {
      stopped = true;
    };
  }, [slug, viewerId]);
  const following = useCallback((t: string) => (targets ? targets.has(t) : null), [targets]);
  const toggle = useCallback(
    async (t: string) => {
      const next = !(targets?.has(t) ?? false);
      const res = await send<{ following: boolean }>("/api/me/follows", "POST", { article: slug, target: t, follow: next });
      if (!res.ok) return res.error.message;
      setTargets((prev) => {
        const s = new Set(prev ?? []);
        if (res.data.following) s.add(t);
        else s.delete(t);
        return s;
      });
      return null;
    },
    [slug, targets],
  );
  return { following, toggle };
}

/** A toggle: "Follow this paragraph" (pressed when followed); shown only once the state is known. */
export function FollowButton({ target, what, context, announce }: { target: string; what: string; context?: string; announce?: (m: string) => void }) {
  const follows = useContext(FollowsContext);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const on = follows?.following(target) ?? null;
  if (on === null) return null;
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        aria-pressed={on}
        aria-disabled={busy || undefined}
        onClick={async () => {
          if (busy || !follows) return;
          setBusy(true);
          const problem = await follows.toggle(target);
          setBusy(false);
          setError(problem);
          const named = context ? `${what} ${context}` : what;
          if (!problem) announce?.(on ? `You no longer follow ${named}.` : `You follow ${named}: new contributions there reach your notifications.`);
        }}
        className={`rounded border px-2 py-0.5 text-xs font-medium focus:outline-none focus:ring-2 focus:ring-amber-500 ${
          on ? "border-stone-800 bg-stone-800 text-white" : "border-stone-400 bg-white text-stone-800 hover:bg-stone-100"
        }`}
      >
        <span aria-hidden="true">{on ? "✓ " : ""}</span>Follow {what}
        {/* Which one, for screen readers; the row it sits in says it to the eye. */}
        {context && <span className="sr-only"> {context}</span>}
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-800">
          {error}
        </span>
      )}
    </span>
  );
}
