"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { renderBody } from "@/lib/text/render-body";
import { ReportControl } from "../moderation/report-control";
import { StatusBadge } from "../moderation/status-badge";
import type { ContributionDto } from "@/lib/annotations/dto";
import { send } from "../api";
import { KIND_LABEL, KIND_STYLE, MAX_INDENT, PLACEHOLDER_TEXT, REPLY_STANCE_LABEL, shorten, STANCE_LABEL } from "./labels";
import { ComposeFields, draftOf, draftPayload, type Draft } from "./compose-fields";
import { RankingBadge } from "./ranking-badge";
import { EditHistory } from "./edit-history";
import { SourceView } from "./source-view";
import { RatingControl } from "./rating-control";
import { CopyLink } from "./copy-link";
import { contributionPath, useDiscussionPlace } from "./discussion-context";
import type { Span } from "./paragraph-text";

interface Props {
  contribution: ContributionDto;
  paragraphText: string;
  onShowSpan: (span: Span | null) => void;
  onUpdated: (c: ContributionDto) => void;
  onDeleted: (c: ContributionDto) => void;
  /** A signed-in reader may report other people's contributions. */
  signedIn: boolean;
  /** Focus the item when it appears (a reply just posted). */
  focusOnMount?: boolean;
  /** Below the item, inside its list entry: its replies and the reply controls. */
  children?: ReactNode;
}

/** What the author reads under their own contribution while it is not published. */
const OWN_STATUS_NOTE: Record<string, string> = {
  PENDING: "Only you and the moderators can see this until a moderator publishes it.",
  HIDDEN: "Hidden from readers by a moderator. Only you can see it here.",
  REJECTED: "Rejected by a moderator. Only you can see it here.",
};

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function ContributionItem(props: Props) {
  const c = props.contribution;
  if (c.placeholder) {
    return (
      <li>
        <article
          aria-label={`${PLACEHOLDER_TEXT[c.placeholder]} ${c.replyCount === 1 ? "1 reply" : `${c.replyCount} replies`}`}
          className="border-t border-stone-200 pt-3"
          data-contribution-id={c.id}
        >
          <p className="text-sm italic text-stone-700">{PLACEHOLDER_TEXT[c.placeholder]}</p>
        </article>
        {props.children}
      </li>
    );
  }
  return <ReadableItem {...props} />;
}

function ReadableItem({ contribution: c, onShowSpan, onUpdated, onDeleted, signedIn, focusOnMount, children }: Props) {
  const uid = useId();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => draftOf(c));
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const kind = KIND_LABEL[c.kind];
  const editRef = useRef<HTMLButtonElement>(null);
  const draftRef = useRef<HTMLTextAreaElement>(null);
  const wasEditing = useRef(false);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const articleRef = useRef<HTMLElement>(null);
  const [showHistory, setShowHistory] = useState(false);
  // The version the edit started from: a live update of the text meanwhile must not make the save
  // overwrite it silently (the server answers 409 and the current text is shown).
  const editBase = useRef(c.version);
  const historyRef = useRef<HTMLButtonElement>(null);
  const place = useDiscussionPlace();
  const linked = place?.linkedId === c.id;
  const permalink = place ? contributionPath(place.slug, place.anchorId, c.id) : null;

  useEffect(() => {
    if (focusOnMount || linked) articleRef.current?.focus();
    // Once, when it appears.
  }, []);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) deleteRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  // Focus follows the task: into the editor when it opens, back to Edit when it closes.
  useEffect(() => {
    if (editing) draftRef.current?.focus();
    else if (wasEditing.current) editRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  async function save() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    setFields({});
    const { body, source } = draftPayload(draft);
    const res = await send<{ contribution: ContributionDto }>(`/api/contributions/${c.id}`, "PATCH", { version: editBase.current, body, source });
    setBusy(false);
    if (!res.ok) {
      if (res.error.status === 409 && res.error.current) {
        onUpdated(res.error.current as ContributionDto);
        // Saving again applies the edit on top of what is there now.
        editBase.current = (res.error.current as ContributionDto).version;
        setMessage(
          "This was changed elsewhere since you loaded it. The current version is shown above; your edit is still in the box, so you can reapply it.",
        );
      } else {
        setMessage(Object.keys(res.error.fields).length ? "Please correct the fields marked above." : res.error.message);
        setFields(res.error.fields);
      }
      return;
    }
    setEditing(false);
    onUpdated(res.data.contribution);
  }

  async function remove() {
    if (busy) return;
    setBusy(true);
    const res = await send<void>(`/api/contributions/${c.id}?version=${c.version}`, "DELETE");
    setBusy(false);
    if (!res.ok) {
      setConfirming(false);
      setMessage(res.error.message);
      if (res.error.status === 409 && res.error.current) onUpdated(res.error.current as ContributionDto);
      return;
    }
    onDeleted(c);
  }

  return (
    <li>
      <article
        ref={articleRef}
        tabIndex={-1}
        aria-label={`${c.depth > 0 ? (c.kind === "ANNOTATION" ? "Reply" : `${kind.short} reply`) : kind.short} by ${c.author.name}`}
        className={`border-t border-stone-200 pt-3 outline-none focus-visible:ring-2 focus-visible:ring-amber-500 ${
          linked ? "-mx-2 rounded bg-amber-50 px-2 pb-2 ring-2 ring-amber-400" : ""
        }`}
        data-contribution-id={c.id}
        data-linked={linked || undefined}
      >
        <header className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-stone-700">
          <span className={`rounded border px-1.5 py-0.5 font-medium ${KIND_STYLE[c.kind]}`}>{c.depth > 0 && c.kind === "ANNOTATION" ? "Reply" : kind.short}</span>
          {c.author.id ? <a href={`/people/${c.author.id}`} className="font-medium text-stone-900 underline decoration-stone-400 underline-offset-2 hover:decoration-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500">{c.author.name}</a> : <span className="font-medium text-stone-900">{c.author.name}</span>}
          {c.depth > MAX_INDENT && c.inReplyTo && <span>in reply to {c.inReplyTo.name}</span>}
          {/* The date is the contribution's permanent link, as in most forums. */}
          {permalink ? (
            <a href={permalink} className="text-stone-700 underline-offset-2 hover:underline">
              <time dateTime={c.createdAt}>{dateFormat.format(new Date(c.createdAt))} UTC</time>
            </a>
          ) : (
            <time dateTime={c.createdAt}>{dateFormat.format(new Date(c.createdAt))} UTC</time>
          )}
          {c.edited && (
            <button
              ref={historyRef}
              type="button"
              aria-expanded={showHistory}
              onClick={() => setShowHistory((v) => !v)}
              title={`Edited ${dateFormat.format(new Date(c.updatedAt))} UTC`}
              className="rounded underline decoration-dotted underline-offset-2 hover:text-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              (edited)<span className="sr-only"> show the edit history</span>
            </button>
          )}
          {c.mine && c.status !== "PUBLISHED" && <StatusBadge status={c.status} />}
          {c.status === "PUBLISHED" && <RankingBadge status={c.ranking.status} />}
          {permalink && <CopyLink path={permalink} label="Copy link" what={`to ${c.author.name}’s ${c.depth > 0 ? "reply" : kind.one}`} />}
        </header>
        {showHistory && (
          <EditHistory
            key={c.version}
            contributionId={c.id}
            onClose={() => {
              setShowHistory(false);
              historyRef.current?.focus();
            }}
          />
        )}
        {c.mine && c.status !== "PUBLISHED" && (
          <div className="mt-2 rounded border border-stone-300 bg-stone-50 px-2 py-1.5 text-xs text-stone-800">
            <p>{OWN_STATUS_NOTE[c.status] ?? ""}</p>
            {c.moderationReason && (c.status === "HIDDEN" || c.status === "REJECTED") && (
              <p className="mt-1">
                <span className="font-medium">Moderator’s reason:</span> {c.moderationReason}
              </p>
            )}
            {(c.status === "HIDDEN" || c.status === "REJECTED") && (
              <p className="mt-1">
                Details and appeals:{" "}
                <a href="/me/contributions" className="font-medium underline">
                  My contributions
                </a>
                .
              </p>
            )}
          </div>
        )}
        {c.depth > 0 ? null : c.anchoring.method === "orphaned" ? (
          <p className="mt-2 border-l-4 border-stone-300 bg-stone-50 px-2 py-1 font-serif text-sm italic text-stone-800">
            <span className="sr-only">Quoted from an earlier version: </span>“{shorten(c.selector.exact, 200)}”
          </p>
        ) : c.selector.wholeParagraph ? (
          <p className="mt-2 text-xs text-stone-600">On the whole paragraph</p>
        ) : (
          <button
            type="button"
            onClick={() => onShowSpan({ start: c.selector.start, end: c.selector.end })}
            className="mt-2 block w-full rounded border-l-4 border-amber-400 bg-amber-50 px-2 py-1 text-left font-serif text-sm italic text-stone-800 hover:bg-amber-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
            aria-label={`Show the claim in the text: ${shorten(c.selector.exact, 120)}`}
          >
            “{shorten(c.selector.exact, 200)}”
          </button>
        )}
        {c.depth === 0 && c.anchoring.method === "fuzzy" && c.original && (
          <div className="mt-1 rounded border border-stone-300 bg-white px-2 py-1 text-xs text-stone-700" data-testid="text-changed">
            <p className="font-medium">The text changed since this was written.</p>
            <p className="mt-0.5">
              It quoted: <q className="font-serif italic text-stone-800">{shorten(c.original.exact, 200)}</q>
            </p>
          </div>
        )}
        {!editing && (
          <>
            {c.source && <SourceView source={c.source} reply={c.depth > 0} />}
            <div className="user-text mt-2 break-words text-sm leading-relaxed text-stone-900">{renderBody(c.body)}</div>
          </>
        )}
        {editing && (
          <div className="mt-2 space-y-2">
            <ComposeFields
              uid={uid}
              draft={draft}
              onChange={setDraft}
              fields={fields}
              legend={`Edit your ${kind.one}`}
              bodyLabel={{ ANNOTATION: `Edit your ${kind.one}`, COUNTERPOINT: `Edit your ${kind.one}`, SOURCE: `Edit your ${kind.one}` }}
              stanceLabel={c.depth > 0 ? REPLY_STANCE_LABEL : STANCE_LABEL}
              bodyRef={draftRef}
              fixedKind
            />
          </div>
        )}
        {message && (
          <p role="alert" className="mt-2 rounded border border-red-300 bg-red-50 px-2 py-1 text-sm text-red-900">
            {message}
          </p>
        )}
        {!c.mine && signedIn && c.status === "PUBLISHED" && <RatingControl contribution={c} what={kind.one} />}
        {c.mine && c.ratings && c.ratings.total > 0 && (
          <p className="mt-2 text-sm text-stone-700">
            Readers’ ratings: {c.ratings.helpful} helpful, {c.ratings.somewhat} somewhat helpful, {c.ratings.notHelpful} not helpful.
          </p>
        )}
        {!c.mine && signedIn && <ReportControl contributionId={c.id} what={kind.one} reported={c.reportedByMe} />}
        {c.mine && (
          <div className="mt-2 flex gap-3 text-sm">
            {editing ? (
              <>
                <button key="save" type="button" aria-disabled={busy || undefined} onClick={() => void save()} className="rounded bg-stone-900 px-3 py-1 text-white aria-disabled:opacity-60">
                  Save
                </button>
                <button
                  key="cancel"
                  type="button"
                  onClick={() => {
                    setEditing(false);
                    setDraft(draftOf(c));
                    setMessage(null);
                  }}
                  className="underline"
                >
                  Cancel
                </button>
              </>
            ) : confirming ? (
              <>
                <span className="text-stone-800">Delete this {kind.one}?</span>
                <button key="confirm-delete" ref={confirmRef} type="button" aria-disabled={busy || undefined} onClick={() => void remove()} className="rounded bg-red-800 px-3 py-1 text-white aria-disabled:opacity-60">
                  Delete
                </button>
                <button key="keep" type="button" onClick={() => setConfirming(false)} className="underline">
                  Keep it
                </button>
              </>
            ) : (
              <>
                <button
                  key="edit"
                  ref={editRef}
                  type="button"
                  onClick={() => {
                    setDraft(draftOf(c));
                    editBase.current = c.version;
                    setEditing(true);
                  }}
                  className="underline"
                >
                  Edit<span className="sr-only"> your {kind.one}</span>
                </button>
                <button key="delete" ref={deleteRef} type="button" onClick={() => setConfirming(true)} className="underline">
                  Delete<span className="sr-only"> your {kind.one}</span>
                </button>
              </>
            )}
          </div>
        )}
      </article>
      {children}
    </li>
  );
}
