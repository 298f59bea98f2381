"use client";

import { useRef, useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import { formatUtc } from "@/app/_components/labels";
import type { TokenDto } from "@/lib/research/tokens";

const EXPIRY = [30, 90, 365] as const;

/** Create (shown once), list (with last use) and revoke API tokens. */
export function TokenManager({ initialTokens }: { initialTokens: TokenDto[] }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"export" | "export:read">("export");
  const [days, setDays] = useState<number>(90);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [status, setStatus] = useState("");
  const tokenRef = useRef<HTMLInputElement>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setError("Give the token a name, e.g. the script that uses it.");
      return;
    }
    setBusy(true);
    const res = await send<{ token: string; record: TokenDto }>("/api/research/tokens", "POST", { name, scope, expiresInDays: days });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.fields.name ? `Name ${res.error.fields.name}.` : res.error.message);
      return;
    }
    setTokens((l) => [res.data.record, ...l]);
    setCreated({ token: res.data.token, name: res.data.record.name });
    setName("");
    setTimeout(() => tokenRef.current?.select(), 0);
  }

  async function revoke(t: TokenDto) {
    const res = await send<{ record: TokenDto }>(`/api/research/tokens/${t.id}`, "DELETE");
    if (!res.ok) {
      setStatus(res.error.message);
      return;
    }
    setTokens((l) => l.map((x) => (x.id === t.id ? res.data.record : x)));
    setStatus(`Token ${t.name} revoked. It no longer works.`);
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setStatus("Token copied.");
    } catch {
      tokenRef.current?.select();
      setStatus("Copy it from the selected field (your browser did not allow copying).");
    }
  }

  return (
    <>
      <p role="status" aria-live="polite" className="sr-only">
        {status}
      </p>
      {created && (
        <section aria-labelledby="new-token-heading" className="mt-6 rounded-lg border-2 border-amber-500 bg-amber-50 p-4">
          <h2 id="new-token-heading" className="font-semibold">
            Your new token “{created.name}”
          </h2>
          <p className="mt-1 text-sm text-stone-800">Copy it now: it will not be shown again.</p>
          <label htmlFor="new-token" className="sr-only">
            The new token
          </label>
          <div className="mt-2 flex gap-2">
            <input
              id="new-token"
              ref={tokenRef}
              readOnly
              value={created.token}
              className="block w-full rounded border border-stone-400 bg-white px-2 py-1.5 font-mono text-sm"
            />
            <button
              type="button"
              onClick={() => void copy()}
              className="rounded border border-stone-700 bg-white px-3 py-1.5 text-sm font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              Copy
            </button>
          </div>
          <button type="button" onClick={() => setCreated(null)} className="mt-3 text-sm underline">
            I have stored it — hide it
          </button>
        </section>
      )}

      <form onSubmit={(e) => void create(e)} className="mt-6 rounded-lg border border-stone-300 bg-white p-5" noValidate>
        <h2 className="font-serif text-xl font-semibold">New token</h2>
        <div className="mt-3 grid gap-4 sm:grid-cols-3">
          <div>
            <label htmlFor="token-name" className="block text-sm font-medium">
              Name
            </label>
            <input
              id="token-name"
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "token-error" : undefined}
              className="mt-1 block w-full rounded border border-stone-400 px-2 py-1.5 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
            />
          </div>
          <fieldset>
            <legend className="text-sm font-medium">Scope</legend>
            <label className="mt-1 flex items-center gap-2 text-sm">
              <input type="radio" name="scope" checked={scope === "export"} onChange={() => setScope("export")} className="h-4 w-4 accent-stone-900" />
              export (create and download)
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="scope" checked={scope === "export:read"} onChange={() => setScope("export:read")} className="h-4 w-4 accent-stone-900" />
              export:read (download only)
            </label>
          </fieldset>
          <div>
            <label htmlFor="token-expiry" className="block text-sm font-medium">
              Expires after
            </label>
            <select
              id="token-expiry"
              value={days}
              onChange={(e) => setDays(Number(e.target.value))}
              className="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              {EXPIRY.map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          </div>
        </div>
        {error && (
          <p id="token-error" role="alert" className="mt-3 text-sm font-medium text-red-800">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={busy}
          className="mt-4 rounded bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:bg-stone-500"
        >
          {busy ? "Creating…" : "Create token"}
        </button>
      </form>

      <h2 className="mt-10 font-serif text-xl font-semibold">Your tokens</h2>
      {tokens.length === 0 ? (
        <p className="mt-2 text-sm text-stone-700">No tokens yet.</p>
      ) : (
        <div className="relative mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Your API tokens</caption>
            <thead className="border-b border-stone-300 text-xs uppercase tracking-wide text-stone-700">
              <tr>
                <th scope="col" className="px-2 py-2">Name</th>
                <th scope="col" className="px-2 py-2">Token</th>
                <th scope="col" className="px-2 py-2">Scope</th>
                <th scope="col" className="px-2 py-2">Created</th>
                <th scope="col" className="px-2 py-2">Last used</th>
                <th scope="col" className="px-2 py-2">Expires</th>
                <th scope="col" className="px-2 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} className="border-b border-stone-200" data-token-id={t.id}>
                  <th scope="row" className="px-2 py-2 font-medium">{t.name}</th>
                  <td className="px-2 py-2 font-mono text-xs">{t.prefix}…</td>
                  <td className="px-2 py-2">{t.scope}</td>
                  <td className="px-2 py-2">{formatUtc(t.createdAt)}</td>
                  <td className="px-2 py-2">{t.lastUsedAt ? formatUtc(t.lastUsedAt) : "never"}</td>
                  <td className="px-2 py-2">{t.expiresAt ? formatUtc(t.expiresAt) : "never"}</td>
                  <td className="px-2 py-2">
                    {t.revokedAt ? (
                      <span className="text-stone-700">Revoked</span>
                    ) : !t.active ? (
                      <span className="text-stone-700">Expired</span>
                    ) : (
                      <button
                        type="button"
                        onClick={() => void revoke(t)}
                        className="rounded border border-red-800 px-2 py-1 text-xs font-medium text-red-800 hover:bg-red-50 focus:outline-none focus:ring-2 focus:ring-amber-500"
                      >
                        Revoke<span className="sr-only"> {t.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
