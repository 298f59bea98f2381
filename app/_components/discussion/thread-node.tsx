"use client";

import { useEffect, useRef, useState } from "react";
import type { ContributionDto } from "@/lib/annotations/dto";
import { getJson } from "../api";
import { ContributionItem } from "./contribution-item";
import { KIND_LABEL, MAX_INDENT } from "./labels";
import type { Span } from "./paragraph-text";
import { ReplyForm } from "./reply-form";
import { useAnnounce, useLiveEvents } from "./live";
import { FollowButton } from "./follows";
import type { ContributionThread } from "@/lib/annotations/get-contribution-thread";

interface Props {
  contribution: ContributionDto;
  signedIn: boolean;
  paragraphText: string;
  focusOnMount?: boolean;
  /** A shared link's way down: the replies from this one's child to the linked contribution, opened on arrival. */
  path?: ContributionDto[];
  onShowSpan: (span: Span | null) => void;
  onUpdated: (c: ContributionDto) => void;
  onDeleted: (c: ContributionDto) => void;
  /** A change the screen reader should hear, and the margin's counts refreshed. */
  onChanged: (announcement: string) => void;
}

interface Page {
  items: ContributionDto[];
  nextCursor: string | null;
}

const repliesLabel = (n: number) => (n === 1 ? "1 reply" : `${n} replies`);

/** What stays of a deleted contribution that has replies: its place in the thread. */
function removed(c: ContributionDto): ContributionDto {
  return { ...c, placeholder: "deleted", body: "", source: null, author: { name: "" }, mine: false };
}

/**
 * One contribution and its replies: collapsed to "N replies" and loaded on demand, oldest first,
 * a page at a time. Replies are indented up to MAX_INDENT levels and flat below that (each then
 * says whom it answers).
 */
export function ThreadNode(props: Props) {
  const c = props.contribution;
  const next = props.path?.[0];
  // On the way to a linked reply: open, with that reply shown until the first page arrives (and after it, if not on it).
  const [replies, setReplies] = useState<ContributionDto[]>(next ? [next] : []);
  const [count, setCount] = useState(c.replyCount);
  const [expanded, setExpanded] = useState(next !== undefined);
  const [loaded, setLoaded] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [replying, setReplying] = useState(false);
  const [focusId, setFocusId] = useState<string | null>(null);
  const replyRef = useRef<HTMLButtonElement>(null);
  const wasReplying = useRef(false);
  const listId = `replies-${c.id}`;
  const what = c.depth > 0 ? "reply" : KIND_LABEL[c.kind].one;
  const who = c.placeholder ? "this removed contribution" : `${c.author.name}’s ${what}`;

  useEffect(() => setCount(c.replyCount), [c.replyCount]);

  useEffect(() => {
    if (!replying && wasReplying.current && !focusId) replyRef.current?.focus();
    wasReplying.current = replying;
  }, [replying, focusId]);

  async function load(after: string | null) {
    setLoading(true);
    setError(null);
    const q = new URLSearchParams();
    if (after) q.set("cursor", after);
    const res = await getJson<Page>(`/api/contributions/${c.id}/replies${q.size ? `?${q}` : ""}`);
    setLoading(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    // A reply posted here before the first page arrived stays (after the page), and none is shown twice.
    setReplies((prev) => {
      if (after) {
        const seen = new Set(prev.map((r) => r.id));
        return [...prev, ...res.data.items.filter((r) => !seen.has(r.id))];
      }
      const page = new Set(res.data.items.map((r) => r.id));
      return [...res.data.items, ...prev.filter((r) => !page.has(r.id))];
    });
    setCursor(res.data.nextCursor);
    setLoaded(true);
  }

  useEffect(() => {
    if (next) void load(null);
    // Once, when a shared link opens the thread.
  }, []);

  // Live: a reply to this one, posted, edited or removed by someone else while the thread is open.
  const announce = useAnnounce();
  const heard = useRef(new Set<string>());
  useLiveEvents((e) => {
    if (e.parentId !== c.id) return;
    const shown = replies.some((r) => r.id === e.contributionId);
    if (e.type === "removed") {
      if (shown) {
        setReplies((prev) => prev.flatMap((r) => (r.id !== e.contributionId ? [r] : r.replyCount > 0 ? [removed(r)] : [])));
        setCount((n) => Math.max(0, n - 1));
      } else if (heard.current.delete(e.contributionId)) setCount((n) => Math.max(0, n - 1));
      return;
    }
    if (e.type === "posted" && !shown && !heard.current.has(e.contributionId)) {
      heard.current.add(e.contributionId);
      setCount((n) => n + 1);
    }
    // Open threads show it; closed ones count it ("Show 3 replies").
    if (!expanded || !loaded) return;
    if (e.type === "changed" && !shown) return;
    void getJson<ContributionThread>(`/api/contributions/${e.contributionId}`).then((res) => {
      if (!res.ok) return;
      const r = res.data.path[res.data.path.length - 1]!;
      setReplies((prev) => (prev.some((x) => x.id === r.id) ? prev.map((x) => (x.id === r.id ? r : x)) : [...prev, r]));
      if (e.type === "posted" && !r.mine) announce(`New reply by ${r.author.name} to ${who}.`);
    });
  });

  function toggle() {
    const next = !expanded;
    setExpanded(next);
    if (next && !loaded) void load(null);
  }

  const canReply = props.signedIn && !c.placeholder && c.status === "PUBLISHED";
  const indent = c.depth + 1 <= MAX_INDENT;

  return (
    <ContributionItem
      contribution={c}
      signedIn={props.signedIn}
      paragraphText={props.paragraphText}
      focusOnMount={props.focusOnMount}
      onShowSpan={props.onShowSpan}
      onUpdated={props.onUpdated}
      onDeleted={(d) => props.onDeleted({ ...d, replyCount: count })}
    >
      {(canReply || count > 0) && (
        <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
          {props.signedIn && c.depth === 0 && !c.placeholder && <FollowButton target={`thread:${c.id}`} what="thread" context={`of ${who}`} announce={announce} />}
          {canReply && !replying && (
            <button
              ref={replyRef}
              type="button"
              onClick={() => {
                setFocusId(null);
                setReplying(true);
              }}
              className="underline focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              Reply<span className="sr-only"> to {who}</span>
            </button>
          )}
          {count > 0 && (
            <button
              type="button"
              aria-expanded={expanded}
              aria-controls={listId}
              onClick={toggle}
              className="font-medium text-stone-800 underline focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              {expanded ? "Hide replies" : `Show ${repliesLabel(count)}`}
              <span className="sr-only"> to {who}</span>
            </button>
          )}
        </div>
      )}
      {replying && (
        <ReplyForm
          parent={c}
          onCancel={() => setReplying(false)}
          onPosted={(r) => {
            setReplies((prev) => [...prev.filter((x) => x.id !== r.id), r]);
            // The live stream may have counted it already (its event can arrive before this answer).
            if (!heard.current.has(r.id)) {
              heard.current.add(r.id);
              setCount((n) => n + 1);
            }
            setExpanded(true);
            if (!loaded) void load(null);
            setFocusId(r.id);
            setReplying(false);
            props.onChanged("Reply posted.");
          }}
        />
      )}
      {expanded && (
        <div id={listId} className={indent ? "ml-3 border-l-2 border-stone-200 pl-3 sm:ml-5" : ""}>
          <ol aria-label={`Replies to ${who}`} className="space-y-3">
            {replies.map((r) => (
              <ThreadNode
                key={r.id}
                contribution={r}
                signedIn={props.signedIn}
                paragraphText={props.paragraphText}
                focusOnMount={r.id === focusId}
                path={next && r.id === next.id ? props.path!.slice(1) : undefined}
                onShowSpan={props.onShowSpan}
                onChanged={props.onChanged}
                onUpdated={(u) => {
                  setReplies((prev) => prev.map((x) => (x.id === u.id ? u : x)));
                  props.onChanged("Reply updated.");
                }}
                onDeleted={(d) => {
                  if (d.replyCount > 0) setReplies((prev) => prev.map((x) => (x.id === d.id ? removed(x) : x)));
                  else {
                    setReplies((prev) => prev.filter((x) => x.id !== d.id));
                    setCount((n) => Math.max(0, n - 1));
                  }
                  replyRef.current?.focus();
                  props.onChanged("Reply deleted.");
                }}
              />
            ))}
          </ol>
          {loading && <p className="mt-2 text-sm text-stone-600">Loading replies…</p>}
          {error && (
            <p className="mt-2 text-sm text-red-800">
              {error}{" "}
              <button type="button" className="underline" onClick={() => void load(cursor)}>
                Retry
              </button>
            </p>
          )}
          {cursor && !loading && (
            <button
              type="button"
              onClick={() => void load(cursor)}
              className="mt-2 rounded border border-stone-300 px-3 py-1 text-sm hover:bg-stone-50 focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              Show more replies<span className="sr-only"> to {who}</span>
            </button>
          )}
        </div>
      )}
    </ContributionItem>
  );
}

export { removed as asRemoved };
