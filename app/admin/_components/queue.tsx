"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { send } from "@/app/_components/api";
import { DECISION_LABEL, KIND_SHORT, STATUS_LABEL, shorten } from "@/app/_components/labels";
import { HelpDialog } from "./help-dialog";
import { QueueRowView, type Notice } from "./queue-row";
import type { Decision, QueueRow, ReasonedAction, StaleItem } from "./queue-types";

const DONE: Record<Decision | "UPHOLD" | "DENY", string> = {
  PUBLISH: "Published",
  HIDE: "Hidden",
  REJECT: "Rejected",
  RESTORE: "Restored",
  KEEP: "Reviewed and kept",
  UPHOLD: "Appeal upheld, restored",
  DENY: "Appeal denied",
};

const BULK: Decision[] = ["PUBLISH", "HIDE", "REJECT", "KEEP"];

/** Keys typed into these never trigger a shortcut. */
function isTextField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName !== "INPUT") return false;
  return !["checkbox", "radio", "button", "submit", "reset"].includes((el as HTMLInputElement).type);
}

/** "Annotation by Ann (“First words of it…”)": which item a message is about. */
function describeItem(item: QueueRow): string {
  return `${KIND_SHORT[item.kind] ?? item.kind} by ${item.author.name} (“${shorten(item.body, 60)}”)`;
}

/** "Now: Hidden (3 open reports)." from a 409's current state. */
function describeStale(s: StaleItem): string {
  if (s.reason === "missing" || !s.current) return "It was deleted by its author.";
  const flags = s.current.openFlagCount ? `, ${s.current.openFlagCount} open ${s.current.openFlagCount === 1 ? "report" : "reports"}` : "";
  const now = `Now: ${STATUS_LABEL[s.current.status] ?? s.current.status}${flags}.`;
  return s.reason === "not_allowed" ? `That decision is not possible from its current status. ${now}` : `It changed since you loaded it. ${now}`;
}

export function ModerationQueue({ items }: { items: QueueRow[] }) {
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reasonFor, setReasonFor] = useState<{ id: string; action: ReasonedAction } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [notices, setNotices] = useState<Record<string, Notice>>({});
  /** Stale notices about items that have since left this page. */
  const [gone, setGone] = useState<{ id: string; what: string; text: string }[]>([]);
  const [bulkReason, setBulkReason] = useState("");
  const [bulkBusy, setBulkBusy] = useState(false);
  const [bulkMessage, setBulkMessage] = useState<{ tone: "error" | "stale"; lines: string[] } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [helpOpen, setHelpOpen] = useState(false);
  /** The last decision taken on this page, which "Undo" takes back (lib/moderation/undo-decision.ts). */
  const [last, setLast] = useState<{ batch: string; text: string } | null>(null);
  const [undoMessage, setUndoMessage] = useState<{ tone: "done" | "error"; text: string } | null>(null);
  const [undoBusy, setUndoBusy] = useState(false);
  const undoRef = useRef<HTMLButtonElement>(null);
  /** Set once hydrated: the shortcuts listen from then on (tests wait for it). */
  const [ready, setReady] = useState(false);
  const rows = useRef(new Map<string, HTMLElement>());
  const selectAllRef = useRef<HTMLInputElement>(null);

  const byId = new Map(items.map((i) => [i.id, i]));
  const selectedItems = items.filter((i) => selected.has(i.id));
  const allSelected = items.length > 0 && selectedItems.length === items.length;

  useEffect(() => setReady(true), []);

  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = selectedItems.length > 0 && !allSelected;
  }, [selectedItems.length, allSelected]);

  // Items that left the queue (decided here or elsewhere) leave the selection too; a notice
  // about one that left is kept at the top of the list.
  useEffect(() => {
    setSelected((prev) => {
      const next = new Set([...prev].filter((id) => byId.has(id)));
      return next.size === prev.size ? prev : next;
    });
    // Only when the items change (byId is derived from them).
  }, [items]);

  const focusRow = useCallback((id: string | null) => {
    setCurrentId(id);
    if (!id) return;
    const el = rows.current.get(id);
    if (el) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "nearest" });
    }
  }, []);

  function neighbourOf(id: string): string | null {
    const i = items.findIndex((x) => x.id === id);
    return items[i + 1]?.id ?? items[i - 1]?.id ?? null;
  }

  function refresh() {
    startTransition(() => router.refresh());
  }

  function setNotice(id: string, notice: Notice | null) {
    setNotices((prev) => {
      const next = { ...prev };
      if (notice) next[id] = notice;
      else delete next[id];
      return next;
    });
  }

  /** A 409: say what changed, on the row (or above the list if it has left), and reload the rows. */
  function showStale(message: string, stale: StaleItem[]) {
    for (const s of stale) {
      const item = byId.get(s.id);
      const text = `${message} ${describeStale(s)}`;
      setNotice(s.id, { tone: "stale", text });
      if (item) setGone((prev) => [...prev.filter((g) => g.id !== s.id), { id: s.id, what: describeItem(item), text }]);
    }
    refresh();
  }

  async function decide(item: QueueRow, decision: Decision, reason?: string) {
    setBusyId(item.id);
    setNotice(item.id, null);
    const res = await send<{ results: { batch: string }[] }>("/api/admin/decisions", "POST", {
      decision,
      reason: reason?.trim() ? reason : undefined,
      items: [{ id: item.id, version: item.version }],
    });
    setBusyId(null);
    finish(item, res, DONE[decision], res.ok ? res.data.results[0]?.batch : undefined);
  }

  async function decideAppeal(item: QueueRow, uphold: boolean, reason?: string) {
    setBusyId(item.id);
    setNotice(item.id, null);
    const res = await send<{ status: string; batch: string }>("/api/admin/appeals", "POST", {
      contributionId: item.id,
      version: item.version,
      uphold,
      reason: reason?.trim() ? reason : undefined,
    });
    setBusyId(null);
    finish(item, res, DONE[uphold ? "UPHOLD" : "DENY"], res.ok ? res.data.batch : undefined);
  }

  async function undo() {
    if (!last || undoBusy) return;
    setUndoBusy(true);
    const res = await send<{ results: unknown[] }>("/api/admin/decisions/undo", "POST", { batch: last.batch });
    setUndoBusy(false);
    if (res.ok) {
      const text = `Undone: ${last.text} It is back as it was.`;
      setUndoMessage({ tone: "done", text });
      setAnnouncement(text);
      setLast(null);
      refresh();
      return;
    }
    setUndoMessage({ tone: "error", text: res.error.message });
    if (res.error.status === 409) setLast(null);
  }

  function finish(item: QueueRow, res: Awaited<ReturnType<typeof send>>, done: string, batch?: string) {
    if (res.ok) {
      setReasonFor(null);
      setUndoMessage(null);
      if (batch) setLast({ batch, text: `${done}: ${describeItem(item)}.` });
      setGone((prev) => prev.filter((g) => g.id !== item.id));
      setAnnouncement(`${done}: ${KIND_SHORT[item.kind] ?? item.kind} by ${item.author.name}.`);
      const next = neighbourOf(item.id);
      focusRow(next);
      refresh();
      return;
    }
    if (res.error.status === 409 && Array.isArray(res.error.current)) {
      setReasonFor(null);
      showStale(res.error.message, res.error.current as StaleItem[]);
      focusRow(item.id);
      return;
    }
    setNotice(item.id, { tone: "error", text: res.error.message });
    if (res.error.status === 409) refresh();
  }

  async function bulk(decision: Decision) {
    setBulkMessage(null);
    const chosen = selectedItems;
    if (!chosen.length) return;
    if ((decision === "HIDE" || decision === "REJECT") && !bulkReason.trim()) {
      setBulkMessage({ tone: "error", lines: [`Give a reason to ${decision === "HIDE" ? "hide" : "reject"}: the authors will read it.`] });
      document.getElementById("bulk-reason")?.focus();
      return;
    }
    setBulkBusy(true);
    const res = await send<{ results: { batch: string }[] }>("/api/admin/decisions", "POST", {
      decision,
      reason: bulkReason.trim() ? bulkReason : undefined,
      items: chosen.map((i) => ({ id: i.id, version: i.version })),
    });
    setBulkBusy(false);
    if (res.ok) {
      const n = chosen.length;
      setUndoMessage(null);
      const batch = res.data.results[0]?.batch;
      if (batch) setLast({ batch, text: `${DONE[decision]}: ${n} ${n === 1 ? "contribution" : "contributions"}.` });
      // Said once, in the last-decision bar with its Undo.
      setAnnouncement(`${DONE[decision]}: ${n} ${n === 1 ? "contribution" : "contributions"}.`);
      setSelected(new Set());
      setBulkReason("");
      refresh();
      return;
    }
    if (res.error.status === 409 && Array.isArray(res.error.current)) {
      const stale = res.error.current as StaleItem[];
      setBulkMessage({
        tone: "stale",
        lines: [
          res.error.message,
          ...stale.map((s) => {
            const item = byId.get(s.id);
            return `${item ? describeItem(item) : "A contribution"}: ${describeStale(s)}`;
          }),
        ],
      });
      for (const s of stale) setNotice(s.id, { tone: "stale", text: describeStale(s) });
      refresh();
      return;
    }
    setBulkMessage({ tone: "error", lines: [res.error.message] });
  }

  function toggle(id: string) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  /** What a shortcut does to the current item. */
  function act(item: QueueRow, key: string) {
    const can = (d: Decision) => item.decisions.includes(d);
    if (key === "x") return toggle(item.id);
    if (key === "p") {
      if (can("PUBLISH")) return void decide(item, "PUBLISH");
      if (item.appeal && can("RESTORE")) return void decideAppeal(item, true);
      if (can("RESTORE")) return void decide(item, "RESTORE");
    }
    if (key === "h" && can("HIDE")) return setReasonFor({ id: item.id, action: "HIDE" });
    if (key === "r" && can("REJECT")) return setReasonFor({ id: item.id, action: "REJECT" });
    if (key === "e" && can("KEEP")) return void decide(item, "KEEP");
    const what = { p: "Publish", h: "Hide", r: "Reject", e: "Reviewed, keep" }[key as "p" | "h" | "r" | "e"];
    if (what) setAnnouncement(`${what} is not possible for this item (${STATUS_LABEL[item.status] ?? item.status}).`);
  }

  // Shortcuts, when the cursor is not in a text field and no dialog is open.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || helpOpen) return;
      if (isTextField(e.target)) return;
      const key = e.key;
      if (key === "?") {
        e.preventDefault();
        setHelpOpen(true);
        return;
      }
      if (key === "u") {
        e.preventDefault();
        if (last) void undo();
        else setAnnouncement("There is no decision to undo.");
        return;
      }
      if (!["j", "k", "p", "h", "r", "e", "x"].includes(key)) return;
      e.preventDefault();
      const index = currentId ? items.findIndex((i) => i.id === currentId) : -1;
      if (key === "j" || key === "k") {
        if (!items.length) return;
        const next = key === "j" ? Math.min(items.length - 1, index + 1) : index < 0 ? 0 : Math.max(0, index - 1);
        focusRow(items[next]!.id);
        return;
      }
      const item = index >= 0 ? items[index] : undefined;
      if (!item) {
        setAnnouncement("No item is selected. Press j to go to the first one.");
        return;
      }
      if (busyId) return;
      act(item, key);
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  });

  const bulkAllowed = (d: Decision) => selectedItems.length > 0 && selectedItems.every((i) => i.decisions.includes(d));
  const goneNotices = gone.filter((g) => !byId.has(g.id));

  return (
    <div data-queue-ready={ready ? "true" : undefined}>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />

      <section aria-labelledby="bulk-title" className="rounded-lg border border-stone-300 bg-white p-3 shadow-sm">
        <h2 id="bulk-title" className="sr-only">
          Bulk decisions
        </h2>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <label className="flex items-center gap-2 font-medium">
            <input
              ref={selectAllRef}
              type="checkbox"
              checked={allSelected}
              disabled={items.length === 0}
              onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))}
              className="h-4 w-4 accent-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
            />
            Select all on this page
          </label>
          <span className="text-stone-700" aria-live="polite">
            {selectedItems.length} selected
          </span>
          <button
            type="button"
            onClick={() => setHelpOpen(true)}
            className="ml-auto rounded border border-stone-300 px-2 py-1 text-stone-800 hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Keyboard shortcuts <kbd className="font-mono text-xs">?</kbd>
          </button>
        </div>
        {selectedItems.length > 0 && (
          <div className="mt-3 flex flex-wrap items-end gap-2 border-t border-stone-200 pt-3">
            <div className="min-w-[14rem] flex-1">
              <label htmlFor="bulk-reason" className="block text-sm font-medium">
                Reason for all selected (required to hide or reject; the authors will read it)
              </label>
              <input
                id="bulk-reason"
                type="text"
                maxLength={1000}
                value={bulkReason}
                onChange={(e) => setBulkReason(e.target.value)}
                className="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
              />
            </div>
            <div role="group" aria-label="Decide on all selected" aria-describedby="bulk-note" className="flex flex-wrap gap-2">
              {BULK.map((d) => (
                <button
                  key={d}
                  type="button"
                  disabled={bulkBusy || !bulkAllowed(d)}
                  onClick={() => void bulk(d)}
                  className="rounded border border-stone-700 bg-white px-3 py-1 text-sm font-medium text-stone-900 hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:cursor-not-allowed disabled:border-stone-300 disabled:text-stone-500"
                >
                  {DECISION_LABEL[d]} selected
                </button>
              ))}
            </div>
            <p id="bulk-note" className="w-full text-xs text-stone-600">
              A bulk decision is offered when every selected item allows it. All or nothing: if any item changed since
              this page loaded, none is applied.
            </p>
          </div>
        )}
        {bulkMessage && (
          <div
            role="status"
            className={`mt-3 rounded border px-2 py-1 text-sm ${
              bulkMessage.tone === "error" ? "border-red-300 bg-red-50 text-red-900" : "border-amber-400 bg-amber-50 text-amber-950"
            }`}
          >
            {bulkMessage.lines.map((l, i) => (
              <p key={i}>{l}</p>
            ))}
          </div>
        )}
      </section>

      {(last || undoMessage) && (
        <div
          role="status"
          data-last-decision
          className={`mt-4 flex flex-wrap items-center gap-3 rounded border px-3 py-2 text-sm ${
            undoMessage?.tone === "error" ? "border-red-300 bg-red-50 text-red-900" : "border-stone-300 bg-stone-50 text-stone-900"
          }`}
        >
          {last ? <p>{last.text}</p> : <p>{undoMessage!.text}</p>}
          {last && undoMessage?.tone === "error" && <p>{undoMessage.text}</p>}
          {last && (
            <button
              ref={undoRef}
              type="button"
              aria-disabled={undoBusy || undefined}
              aria-keyshortcuts="u"
              onClick={() => void undo()}
              className="rounded border border-stone-700 bg-white px-3 py-1 font-medium hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500 aria-disabled:opacity-60"
            >
              Undo<span className="sr-only"> the last decision</span>{" "}
              <kbd aria-hidden="true" className="font-mono text-xs">
                u
              </kbd>
            </button>
          )}
        </div>
      )}

      {goneNotices.length > 0 && (
        <div role="status" className="mt-4 space-y-1 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {goneNotices.map((g) => (
            <p key={g.id}>
              {g.what}: {g.text} It has left the queue.
            </p>
          ))}
        </div>
      )}

      {items.length === 0 ? (
        <p className="mt-6 rounded border border-stone-200 bg-white px-4 py-6 text-stone-700">
          Nothing is waiting for a decision with these filters.
        </p>
      ) : (
        <ol className="mt-4 space-y-4" aria-label="Contributions waiting for a decision">
          {items.map((item) => (
            <QueueRowView
              key={item.id}
              item={item}
              current={item.id === currentId}
              selected={selected.has(item.id)}
              busy={busyId === item.id}
              reasonFor={reasonFor?.id === item.id ? reasonFor.action : null}
              notice={notices[item.id] ?? null}
              registerRow={(el) => {
                if (el) rows.current.set(item.id, el);
                else rows.current.delete(item.id);
              }}
              onFocusRow={() => setCurrentId(item.id)}
              onToggle={() => toggle(item.id)}
              onDecide={(d) => void decide(item, d)}
              onAskReason={(a) => setReasonFor({ id: item.id, action: a })}
              onCancelReason={() => {
                setReasonFor(null);
                focusRow(item.id);
              }}
              onSubmitReason={(a, reason) =>
                void (a === "DENY" || a === "UPHOLD" ? decideAppeal(item, a === "UPHOLD", reason.trim() ? reason : undefined) : decide(item, a, reason))
              }
            />
          ))}
        </ol>
      )}
    </div>
  );
}
