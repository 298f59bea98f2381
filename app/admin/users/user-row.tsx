"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { send } from "@/app/_components/api";
import { ROLE_LABEL } from "@/app/_components/labels";
import type { AdminUserRow } from "@/lib/users/search-users";

const ROLES = ["READER", "MODERATOR", "ADMIN", "RESEARCHER"] as const;

const input =
  "mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500";
const small =
  "rounded border border-stone-400 bg-white px-2 py-1 text-sm font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-50";

interface Props {
  user: AdminUserRow;
  isSelf: boolean;
  view: { age: string; suspendedUntil: string | null };
}

/** One person: role change, suspension (with reason, end, optional hiding) and lifting it. */
export function UserRow({ user, isSelf, view }: Props) {
  const router = useRouter();
  const uid = useId();
  const [role, setRole] = useState(user.role);
  const [suspending, setSuspending] = useState(false);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const [indefinitely, setIndefinitely] = useState(true);
  const [hide, setHide] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const suspendButton = useRef<HTMLButtonElement>(null);
  const reasonInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (suspending) reasonInput.current?.focus();
  }, [suspending]);

  async function saveRole(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await send<{ user: { role: string } }>(`/api/admin/users/${user.id}`, "PATCH", { role });
    setBusy(false);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error.message });
      setRole(user.role);
      return;
    }
    setMessage({ ok: true, text: `Role saved: ${ROLE_LABEL[res.data.user.role] ?? res.data.user.role}.` });
    router.refresh();
  }

  async function suspend(e: FormEvent) {
    e.preventDefault();
    setFields({});
    setMessage(null);
    const problems: Record<string, string> = {};
    if (!reason.trim()) problems.reason = "Give a reason; it is kept in the audit log.";
    if (!indefinitely && !until) problems.until = "Choose an end date, or tick “indefinitely”.";
    if (Object.keys(problems).length) {
      setFields(problems);
      return;
    }
    setBusy(true);
    // The end date is the end of that day, UTC.
    const end = indefinitely ? undefined : new Date(`${until}T23:59:59Z`).toISOString();
    const res = await send<{ hidden: number }>(`/api/admin/users/${user.id}/suspension`, "POST", {
      reason,
      until: end,
      hideContributions: hide,
    });
    setBusy(false);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error.message });
      setFields(res.error.fields);
      return;
    }
    setSuspending(false);
    setMessage({
      ok: true,
      text: `Suspended.${hide ? ` ${res.data.hidden} published ${res.data.hidden === 1 ? "contribution" : "contributions"} hidden.` : ""}`,
    });
    router.refresh();
  }

  async function lift() {
    setBusy(true);
    setMessage(null);
    const res = await send<void>(`/api/admin/users/${user.id}/suspension`, "DELETE");
    setBusy(false);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error.message });
      return;
    }
    setMessage({ ok: true, text: "Suspension lifted." });
    router.refresh();
  }

  const suspended = user.status === "SUSPENDED";
  return (
    <>
      <tr className="border-t border-stone-200 align-top" data-user-id={user.id}>
        <th scope="row" className="px-3 py-2 text-left font-medium">
          {user.name}
          {isSelf && <span className="ml-1 text-xs font-normal text-stone-600">(you)</span>}
        </th>
        <td className="break-all px-3 py-2">{user.email}</td>
        <td className="px-3 py-2">
          <form onSubmit={(e) => void saveRole(e)} className="flex items-center gap-2">
            <label htmlFor={`${uid}-role`} className="sr-only">
              Role of {user.name}
            </label>
            <select
              id={`${uid}-role`}
              value={role}
              onChange={(e) => setRole(e.target.value)}
              className="rounded border border-stone-400 bg-white px-2 py-1 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
            <button type="submit" disabled={busy || role === user.role} className={small}>
              Save<span className="sr-only"> role of {user.name}</span>
            </button>
          </form>
        </td>
        <td className="px-3 py-2">
          {suspended ? (
            <>
              <span className="font-medium text-red-800">Suspended</span>
              <span className="block text-xs text-stone-700">{view.suspendedUntil ? `until ${view.suspendedUntil}` : "indefinitely"}</span>
              {user.suspensionReason && <span className="block break-words text-xs text-stone-700">“{user.suspensionReason}”</span>}
            </>
          ) : (
            "Active"
          )}
        </td>
        <td className="whitespace-nowrap px-3 py-2">{view.age}</td>
        <td className="px-3 py-2 text-right tabular-nums">{user.contributions}</td>
        <td className="px-3 py-2">
          {suspended ? (
            <button type="button" disabled={busy} onClick={() => void lift()} className={small}>
              Lift suspension<span className="sr-only"> of {user.name}</span>
            </button>
          ) : (
            !isSelf && (
              <button
                ref={suspendButton}
                type="button"
                aria-expanded={suspending}
                aria-controls={`${uid}-suspend`}
                onClick={() => setSuspending((s) => !s)}
                className={small}
              >
                Suspend<span className="sr-only"> {user.name}</span>…
              </button>
            )
          )}
        </td>
      </tr>
      {(suspending || message) && (
        <tr className="bg-stone-50">
          <td colSpan={7} className="px-3 py-2">
            {/* Sticky: on a narrow screen the table scrolls sideways; the form stays in view. */}
            <div className="sticky left-3 w-[min(48rem,calc(100vw-4rem))]">
              {message && (
                <p role="status" className={`text-sm ${message.ok ? "text-emerald-800" : "font-medium text-red-800"}`}>
                  {user.name}: {message.text}
                </p>
              )}
              {suspending && (
                <form
                  id={`${uid}-suspend`}
                  onSubmit={(e) => void suspend(e)}
                  onKeyDown={(e) => {
                    if (e.key === "Escape") {
                      setSuspending(false);
                      suspendButton.current?.focus();
                    }
                  }}
                  className="mt-2 grid gap-3 sm:grid-cols-2"
                  noValidate
                >
                  <h3 className="font-semibold sm:col-span-2">Suspend {user.name}</h3>
                  <div className="sm:col-span-2">
                    <label htmlFor={`${uid}-reason`} className="block text-sm font-medium">
                      Reason (kept in the audit log)
                    </label>
                    <input
                      ref={reasonInput}
                      id={`${uid}-reason`}
                      type="text"
                      value={reason}
                      maxLength={1000}
                      onChange={(e) => setReason(e.target.value)}
                      aria-invalid={fields.reason ? true : undefined}
                      aria-describedby={fields.reason ? `${uid}-reason-err` : undefined}
                      className={input}
                    />
                    {fields.reason && (
                      <p id={`${uid}-reason-err`} className="mt-1 text-sm font-medium text-red-800">
                        {fields.reason}
                      </p>
                    )}
                  </div>
                  <fieldset>
                    <legend className="text-sm font-medium">How long</legend>
                    <label className="mt-1 flex items-center gap-2 text-sm">
                      <input
                        type="checkbox"
                        checked={indefinitely}
                        onChange={(e) => setIndefinitely(e.target.checked)}
                        className="h-4 w-4 accent-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
                      />
                      Indefinitely
                    </label>
                    <label htmlFor={`${uid}-until`} className="mt-2 block text-sm">
                      Until the end of (UTC)
                    </label>
                    <input
                      id={`${uid}-until`}
                      type="date"
                      value={until}
                      disabled={indefinitely}
                      onChange={(e) => setUntil(e.target.value)}
                      aria-invalid={fields.until ? true : undefined}
                      aria-describedby={fields.until ? `${uid}-until-err` : undefined}
                      className={`${input} disabled:bg-stone-100 disabled:text-stone-500`}
                    />
                    {fields.until && (
                      <p id={`${uid}-until-err`} className="mt-1 text-sm font-medium text-red-800">
                        {fields.until}
                      </p>
                    )}
                  </fieldset>
                  <div>
                    <label className="flex items-start gap-2 text-sm">
                      <input
                        type="checkbox"
                        checked={hide}
                        onChange={(e) => setHide(e.target.checked)}
                        className="mt-0.5 h-4 w-4 accent-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
                      />
                      Also hide their published contributions (each hide is logged; the author can appeal)
                    </label>
                  </div>
                  <div className="flex gap-3 sm:col-span-2">
                    <button
                      type="submit"
                      disabled={busy}
                      className="rounded bg-red-800 px-3 py-1 text-sm font-medium text-white hover:bg-red-900 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60"
                    >
                      Suspend {user.name}
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setSuspending(false);
                        suspendButton.current?.focus();
                      }}
                      className="text-sm underline focus:outline-none focus:ring-2 focus:ring-amber-500"
                    >
                      Cancel
                    </button>
                  </div>
                </form>
              )}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
