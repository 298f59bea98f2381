"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import type { ArticlePolicyRow } from "@/lib/moderation/list-article-policies";

const POLICY_LABEL = {
  POST_MODERATION: "Post-moderation",
  PRE_MODERATION: "Pre-moderation",
} as const;

const POLICY_HINT = {
  POST_MODERATION: "new contributions appear at once; moderators review what readers report",
  PRE_MODERATION: "new and edited contributions wait, visible only to their author, until a moderator publishes them",
} as const;

type Policy = keyof typeof POLICY_LABEL;

function ArticlePolicy({ article }: { article: ArticlePolicyRow }) {
  const router = useRouter();
  const [choice, setChoice] = useState<Policy>(article.moderationPolicy);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const name = `policy-${article.slug}`;

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await send<{ article: { moderationPolicy: Policy } }>(`/api/admin/articles/${encodeURIComponent(article.slug)}`, "PATCH", {
      moderationPolicy: choice,
    });
    setBusy(false);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error.message });
      return;
    }
    setMessage({ ok: true, text: `Saved: ${POLICY_LABEL[res.data.article.moderationPolicy]}.` });
    router.refresh();
  }

  return (
    <form onSubmit={(e) => void save(e)} className="rounded-lg border border-stone-300 bg-white p-4">
      <fieldset>
        <legend className="font-serif text-lg font-semibold">{article.title}</legend>
        <p className="mt-1 text-sm text-stone-700">
          Now: <span className="font-medium">{POLICY_LABEL[article.moderationPolicy]}</span>
        </p>
        <div className="mt-2 space-y-1 text-sm">
          {(Object.keys(POLICY_LABEL) as Policy[]).map((p) => (
            <label key={p} className="flex items-start gap-2">
              <input
                type="radio"
                name={name}
                value={p}
                checked={choice === p}
                onChange={() => setChoice(p)}
                className="mt-1 accent-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
              />
              <span>
                <span className="font-medium">{POLICY_LABEL[p]}</span> <span className="text-stone-600">— {POLICY_HINT[p]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={busy || choice === article.moderationPolicy}
          className="rounded bg-stone-900 px-3 py-1 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-50"
        >
          Save policy<span className="sr-only"> for {article.title}</span>
        </button>
        {message && (
          <p role="status" className={`text-sm ${message.ok ? "text-emerald-800" : "text-red-800"}`}>
            {message.text}
          </p>
        )}
      </div>
    </form>
  );
}

/** Admins switch each article between post- and pre-moderation. */
export function ArticlePolicies({ articles }: { articles: ArticlePolicyRow[] }) {
  return (
    <div className="mt-3 space-y-3">
      {articles.map((a) => (
        <ArticlePolicy key={a.slug} article={a} />
      ))}
    </div>
  );
}
