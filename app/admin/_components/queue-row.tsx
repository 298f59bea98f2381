"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { renderBody } from "@/lib/text/render-body";
import { DECISION_LABEL, FLAG_REASON_LABEL, KIND_SHORT, shorten } from "@/app/_components/labels";
import { StatusBadge } from "@/app/_components/moderation/status-badge";
import { SourceView } from "@/app/_components/discussion/source-view";
import { Changes, EditHistory } from "@/app/_components/discussion/edit-history";
import type { Decision, QueueRow as Row, ReasonedAction } from "./queue-types";

export interface Notice {
  tone: "error" | "stale";
  text: string;
}

interface Props {
  item: Row;
  current: boolean;
  selected: boolean;
  busy: boolean;
  reasonFor: ReasonedAction | null;
  notice: Notice | null;
  onFocusRow: () => void;
  onToggle: () => void;
  onDecide: (d: Decision) => void;
  onAskReason: (a: ReasonedAction) => void;
  onCancelReason: () => void;
  onSubmitReason: (a: ReasonedAction, reason: string) => void;
  registerRow: (el: HTMLElement | null) => void;
}

const REASON_LABEL: Record<ReasonedAction, string> = {
  HIDE: "Reason for hiding (the author will read it)",
  REJECT: "Reason for rejecting (the author will read it)",
  DENY: "Reason for denying the appeal (kept in the audit log)",
  UPHOLD: "Reason for upholding the appeal (optional, kept in the audit log)",
};

const REASON_SUBMIT: Record<ReasonedAction, string> = { HIDE: "Hide", REJECT: "Reject", DENY: "Deny appeal", UPHOLD: "Confirm: uphold and restore" };
/** Reasons moderators give most, offered as a starting point (the author reads what is sent). */
const CANNED_REASONS = [
  "Attacks a person rather than the argument.",
  "Advertising or spam.",
  "Not about this passage.",
  "States something false as fact without a source.",
] as const;

/** The decisions whose reason the author reads: one is required. */
const REASON_REQUIRED: Record<ReasonedAction, boolean> = { HIDE: true, REJECT: true, DENY: false, UPHOLD: false };
const SUBMIT_STYLE: Record<ReasonedAction, Decision> = { HIDE: "HIDE", REJECT: "REJECT", DENY: "HIDE", UPHOLD: "RESTORE" };

const button =
  "rounded border px-3 py-1 text-sm font-medium focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60";
const DECISION_STYLE: Record<Decision, string> = {
  PUBLISH: "border-emerald-700 bg-emerald-700 text-white hover:bg-emerald-800",
  RESTORE: "border-emerald-700 bg-emerald-700 text-white hover:bg-emerald-800",
  KEEP: "border-stone-400 bg-white text-stone-900 hover:bg-stone-100",
  HIDE: "border-stone-700 bg-white text-stone-900 hover:bg-stone-100",
  REJECT: "border-red-800 bg-white text-red-900 hover:bg-red-50",
};

export function QueueRowView(props: Props) {
  const { item: c, current, reasonFor } = props;
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const reasonRef = useRef<HTMLInputElement>(null);
  const id = `q-${c.id}`;
  const kind = KIND_SHORT[c.kind] ?? c.kind;
  // With an open appeal, "Restore" is offered as "Uphold appeal (restore)".
  const decisions = c.appeal ? c.decisions.filter((d) => d !== "RESTORE") : c.decisions;

  useEffect(() => {
    if (reasonFor) {
      setReason("");
      setMissing(false);
      reasonRef.current?.focus({ preventScroll: true });
      reasonRef.current?.scrollIntoView({ block: "center" });
    }
  }, [reasonFor]);

  function submitReason(e: FormEvent) {
    e.preventDefault();
    if (!reasonFor) return;
    if (REASON_REQUIRED[reasonFor] && !reason.trim()) {
      setMissing(true);
      reasonRef.current?.focus();
      return;
    }
    props.onSubmitReason(reasonFor, reason);
  }

  return (
    <li>
      <article
        ref={props.registerRow}
        id={id}
        tabIndex={-1}
        aria-labelledby={`${id}-title`}
        aria-current={current ? "true" : undefined}
        data-queue-item={c.id}
        data-current={current ? "true" : undefined}
        onFocus={props.onFocusRow}
        className={`scroll-mt-24 rounded-lg border bg-white p-4 outline-none transition-shadow ${
          current ? "border-amber-500 shadow-[0_0_0_3px_rgba(245,158,11,0.55)]" : "border-stone-300"
        }`}
      >
        <div className="flex items-start gap-3">
          <input
            id={`${id}-select`}
            type="checkbox"
            checked={props.selected}
            onChange={props.onToggle}
            aria-label={`Select the ${kind.toLowerCase()} by ${c.author.name}`}
            className="mt-1 h-4 w-4 shrink-0 accent-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
          />
          <div className="min-w-0 flex-1">
            <header className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-stone-700">
              <h2 id={`${id}-title`} className="text-sm font-semibold text-stone-900">
                {kind} by {c.author.name}
              </h2>
              <StatusBadge status={c.status} />
              {c.flags.length > 0 && (
                <span className="rounded border border-orange-300 bg-orange-50 px-1.5 py-0.5 font-medium text-orange-900">
                  {c.flags.length} open {c.flags.length === 1 ? "report" : "reports"}
                </span>
              )}
              {c.appeal && (
                <span className="rounded border border-violet-300 bg-violet-50 px-1.5 py-0.5 font-medium text-violet-900">Appeal</span>
              )}
              <span>
                in the queue since <time dateTime={c.queuedAt}>{c.view.queued}</time>
              </span>
            </header>

            <p className="mt-1 text-xs text-stone-700">
              On{" "}
              <a href={`/articles/${c.article.slug}#${c.anchorId}`} className="underline">
                {shorten(c.article.title, 80)}
              </a>
              , written <time dateTime={c.createdAt}>{c.view.created}</time>
            </p>

            {c.inReplyTo && (
              <div className="mt-2 rounded border border-stone-300 bg-stone-50 px-2 py-1 text-sm" data-queue-parent>
                <p className="text-xs font-medium text-stone-800">
                  A reply to the {(KIND_SHORT[c.inReplyTo.kind] ?? c.inReplyTo.kind).toLowerCase()} by {c.inReplyTo.authorName}
                  {c.inReplyTo.deleted ? " (since deleted by its author)" : c.inReplyTo.status !== "PUBLISHED" ? ` (now ${c.inReplyTo.status.toLowerCase()})` : ""}:
                </p>
                <p className="mt-1 whitespace-pre-line break-words text-stone-800">{shorten(c.inReplyTo.body, 400)}</p>
              </div>
            )}
            {c.wholeParagraph ? (
              <p className="mt-2 text-xs text-stone-600">On the whole paragraph:</p>
            ) : null}
            <blockquote className="mt-2 border-l-4 border-amber-400 bg-amber-50 px-2 py-1 font-serif text-sm italic text-stone-800">
              “{shorten(c.quote, 300)}”
            </blockquote>

            {c.source && <SourceView source={c.source} reply={c.depth > 0} />}
            {c.whenHidden && (
              <section aria-label="Changed since it was hidden" className="mt-2 rounded border border-stone-300 bg-stone-50 px-2 py-1.5" data-when-hidden>
                <p className="text-xs font-medium text-stone-900">
                  Edited since it was {c.whenHidden.action === "REJECT" ? "rejected" : "hidden"} ({c.view.hiddenTime}): what changed in its text
                </p>
                <Changes before={c.whenHidden.body} after={c.body} />
              </section>
            )}
            {c.edited && <QueueHistory id={c.id} />}
            <div className="user-text mt-2 break-words text-sm leading-relaxed text-stone-900">{renderBody(c.body)}</div>

            <dl className="mt-3 grid gap-x-4 gap-y-1 text-xs text-stone-700 sm:grid-cols-3">
              <div>
                <dt className="inline font-medium text-stone-900">Author: </dt>
                <dd className="inline">
                  {c.author.name}
                  {c.author.status === "SUSPENDED" && <span className="ml-1 font-medium text-red-800">(suspended)</span>}
                </dd>
              </div>
              <div>
                <dt className="inline font-medium text-stone-900">Account age: </dt>
                <dd className="inline">{c.view.authorAge}</dd>
              </div>
              <div>
                <dt className="inline font-medium text-stone-900">Their hides and rejections so far: </dt>
                <dd className="inline">{c.author.priorDecisions}</dd>
              </div>
            </dl>

            {c.moderationReason && (
              <p className="mt-2 text-xs text-stone-700">
                <span className="font-medium text-stone-900">Reason on record: </span>
                {c.moderationReason}
              </p>
            )}

            {c.flags.length > 0 && (
              <div className="mt-3">
                <h3 className="text-xs font-semibold uppercase tracking-wide text-stone-700">Reports</h3>
                <ul className="mt-1 space-y-1 text-sm">
                  {c.flags.map((f, i) => (
                    <li key={i} className="rounded bg-orange-50 px-2 py-1">
                      <span className="font-medium">{FLAG_REASON_LABEL[f.reason] ?? f.reason}</span>
                      <span className="text-xs text-stone-600"> · {c.view.flagTimes[i]}</span>
                      {f.note && <span className="block break-words text-stone-800">“{f.note}”</span>}
                    </li>
                  ))}
                </ul>
              </div>
            )}

            {c.appeal && (
              <div className="mt-3 rounded bg-violet-50 px-2 py-1 text-sm">
                <h3 className="text-xs font-semibold uppercase tracking-wide text-violet-900">
                  The author’s appeal <span className="font-normal normal-case">· {c.view.appealTime}</span>
                </h3>
                <p className="mt-1 whitespace-pre-line break-words text-stone-900">{c.appeal.note}</p>
              </div>
            )}

            {props.notice && (
              <p
                role="status"
                className={`mt-3 rounded border px-2 py-1 text-sm ${
                  props.notice.tone === "stale" ? "border-amber-400 bg-amber-50 text-amber-950" : "border-red-300 bg-red-50 text-red-900"
                }`}
              >
                {props.notice.text}
              </p>
            )}

            {reasonFor ? (
              <form
                onSubmit={submitReason}
                onKeyDown={(e) => {
                  if (e.key === "Escape") {
                    e.preventDefault();
                    e.stopPropagation();
                    props.onCancelReason();
                  }
                }}
                className="mt-3 rounded border border-stone-300 bg-stone-50 p-3"
                noValidate
              >
                <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-stone-900">
                  {REASON_LABEL[reasonFor]}
                </label>
                <input
                  ref={reasonRef}
                  id={`${id}-reason`}
                  type="text"
                  value={reason}
                  maxLength={1000}
                  onChange={(e) => {
                    setReason(e.target.value);
                    setMissing(false);
                  }}
                  aria-invalid={missing ? true : undefined}
                  aria-describedby={`${id}-reason-hint${missing ? ` ${id}-reason-err` : ""}`}
                  className="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
                />
                <p id={`${id}-reason-hint`} className="mt-1 text-xs text-stone-600">
                  Enter sends, Escape cancels.
                </p>
                {REASON_REQUIRED[reasonFor] && (
                  <div role="group" aria-label="Common reasons (fill the box, still editable)" className="mt-2 flex flex-wrap gap-2 text-xs">
                    {CANNED_REASONS.map((r) => (
                      <button
                        key={r}
                        type="button"
                        onClick={() => {
                          setReason(r);
                          setMissing(false);
                          reasonRef.current?.focus();
                        }}
                        className="rounded border border-stone-300 bg-white px-2 py-0.5 text-stone-800 hover:bg-stone-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
                      >
                        {r}
                      </button>
                    ))}
                  </div>
                )}
                {missing && (
                  <p id={`${id}-reason-err`} className="mt-1 text-sm font-medium text-red-800">
                    Say why: the author will read it.
                  </p>
                )}
                <div className="mt-2 flex gap-3">
                  <button type="submit" disabled={props.busy} className={`${button} ${DECISION_STYLE[SUBMIT_STYLE[reasonFor]]}`}>
                    {REASON_SUBMIT[reasonFor]}
                  </button>
                  <button type="button" onClick={props.onCancelReason} className="text-sm underline focus:outline-none focus:ring-2 focus:ring-amber-500">
                    Cancel
                  </button>
                </div>
              </form>
            ) : (
              <div className="mt-3 flex flex-wrap gap-2" role="group" aria-label={`Decide on the ${kind.toLowerCase()} by ${c.author.name}`}>
                {c.appeal && (
                  <>
                    <button type="button" disabled={props.busy} onClick={() => props.onAskReason("UPHOLD")} className={`${button} ${DECISION_STYLE.RESTORE}`}>
                      Uphold appeal (restore)
                    </button>
                    <button type="button" disabled={props.busy} onClick={() => props.onAskReason("DENY")} className={`${button} ${DECISION_STYLE.HIDE}`}>
                      Deny appeal
                    </button>
                  </>
                )}
                {decisions.map((d) => (
                  <button
                    key={d}
                    type="button"
                    disabled={props.busy}
                    onClick={() => (d === "HIDE" || d === "REJECT" ? props.onAskReason(d) : props.onDecide(d))}
                    className={`${button} ${DECISION_STYLE[d]}`}
                  >
                    {DECISION_LABEL[d]}
                  </button>
                ))}
              </div>
            )}
          </div>
        </div>
      </article>
    </li>
  );
}

/** "Edited by its author — show the edit history": every version with what changed, for judging an edit after a decision. */
function QueueHistory({ id }: { id: string }) {
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  return (
    <div className="mt-2 text-sm">
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        className="text-stone-800 underline focus:outline-none focus:ring-2 focus:ring-amber-500"
      >
        Edited by its author — {open ? "hide" : "show"} the edit history
      </button>
      {open && (
        <EditHistory
          contributionId={id}
          onClose={() => {
            setOpen(false);
            toggleRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}
