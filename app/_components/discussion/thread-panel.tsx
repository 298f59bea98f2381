"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ContributionDto } from "@/lib/annotations/dto";
import type { ContributionThread } from "@/lib/annotations/get-contribution-thread";
import { DiscussionContext } from "./discussion-context";
import { useAnnounce, useLiveEvents } from "./live";
import { FollowButton } from "./follows";
import { getJson } from "../api";
import { ContributionForm } from "./contribution-form";
import { asRemoved, ThreadNode } from "./thread-node";
import { KIND_LABEL, shorten } from "./labels";
import { KindFilter, SortToggle, type ListSort } from "./sort-toggle";
import type { Kind } from "@/lib/annotations/limits";
import type { ParagraphProps } from "./article-discussion";
import type { Span } from "./paragraph-text";

export type Claim = { kind: "whole" } | { kind: "span"; start: number; end: number; exact: string };

interface Props {
  id: string;
  slug: string;
  versionId: string;
  index: number;
  paragraph: ParagraphProps;
  claim: Claim;
  covering: number | null;
  /** Open the form and focus it (the reader asked to respond to a selection), rather than the discussion's heading. */
  focusForm: boolean;
  /** What a shared link to a contribution opened: its thread (shown first, down to it), or why it cannot be shown. */
  linked?: { thread: ContributionThread } | { error: string };
  viewer: { name: string } | null;
  onShowAll: () => void;
  onShowSpan: (span: Span | null) => void;
  onChanged: (announcement: string) => void;
  onClose: () => void;
}

interface Page {
  items: ContributionDto[];
  nextCursor: string | null;
  sort: ListSort;
}

export function ThreadPanel(props: Props) {
  const { slug, paragraph, covering, viewer } = props;
  const [items, setItems] = useState<ContributionDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Unset: the server picks "Most helpful" once one of them has enough ratings, else "Newest".
  const [sort, setSort] = useState<ListSort | null>(null);
  const [chosen, setChosen] = useState<ListSort | null>(null);
  const [kind, setKind] = useState<Kind | null>(null);
  // The order of the pages already shown, for the next page (a ref: loading more does not reload).
  const shownSort = useRef<ListSort | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The discussion comes first; the form waits behind "Respond" unless the reader asked to respond.
  const [claim, setClaim] = useState<Claim>(props.claim);
  const [composing, setComposing] = useState(props.focusForm && viewer !== null);
  const respondRef = useRef<HTMLButtonElement>(null);
  const backToRespond = useRef(false);
  useEffect(() => {
    if (composing || !backToRespond.current) return;
    backToRespond.current = false;
    respondRef.current?.focus();
  }, [composing]);
  function closeForm() {
    backToRespond.current = true;
    setComposing(false);
  }
  const base = `/api/articles/${slug}/paragraphs/${encodeURIComponent(paragraph.anchorId)}/contributions`;

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      const q = new URLSearchParams();
      if (after) q.set("cursor", after);
      if (covering !== null) q.set("covering", String(covering));
      const order = after ? shownSort.current : chosen;
      if (order) q.set("sort", order);
      if (kind) q.set("kind", kind);
      const res = await getJson<Page>(`${base}?${q}`);
      setLoading(false);
      if (!res.ok) {
        setError(res.error.message);
        return;
      }
      setItems((prev) => (after ? [...prev, ...res.data.items] : res.data.items));
      setCursor(res.data.nextCursor);
      shownSort.current = res.data.sort;
      setSort(res.data.sort);
    },
    [base, covering, chosen, kind],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const linkedPath = props.linked && "thread" in props.linked ? props.linked.thread.path : null;
  const linkedRoot = linkedPath?.[0] ?? null;
  const place = { slug, anchorId: paragraph.anchorId, linkedId: linkedPath ? linkedPath[linkedPath.length - 1]!.id : null };

  // Live: another reader's new top-level contribution on this paragraph appears at the top (if it
  // passes the filters), an edit replaces its text, a removal takes it out (or leaves a placeholder
  // for its replies). Replies are their thread's business (thread-node.tsx).
  const announce = useAnnounce();
  useLiveEvents((e) => {
    if (e.anchorId !== paragraph.anchorId || e.parentId !== null) return;
    if (e.type === "removed") {
      setItems((prev) => prev.flatMap((x) => (x.id !== e.contributionId ? [x] : x.replyCount > 0 ? [asRemoved(x)] : [])));
      return;
    }
    const known = items.some((x) => x.id === e.contributionId);
    if (e.type === "changed" && !known) return;
    void getJson<ContributionThread>(`/api/contributions/${e.contributionId}`).then((res) => {
      if (!res.ok) return;
      const c = res.data.path[res.data.path.length - 1]!;
      if (kind && c.kind !== kind) return;
      if (covering !== null && !(c.selector.start <= covering && covering < c.selector.end)) return;
      setItems((prev) => (prev.some((x) => x.id === c.id) ? prev.map((x) => (x.id === c.id ? c : x)) : [c, ...prev]));
      if (e.type === "posted" && !c.mine) announce(`New ${KIND_LABEL[c.kind].one} by ${c.author.name}.`);
    });
  });

  // The linked thread's top-level contribution, shown above the list (and not again in it).
  const [pinned, setPinned] = useState<ContributionDto | null>(linkedRoot);
  const shown = pinned ? items.filter((x) => x.id !== pinned.id) : items;

  function node(c: ContributionDto, update: (u: ContributionDto) => void, remove: (d: ContributionDto) => void, path?: ContributionDto[]) {
    return (
      <ThreadNode
        key={c.id}
        contribution={c}
        path={path}
        signedIn={viewer !== null}
        paragraphText={paragraph.text}
        onShowSpan={props.onShowSpan}
        onChanged={props.onChanged}
        onUpdated={(u) => {
          update(u);
          props.onChanged(`${KIND_LABEL[u.kind].short} updated.`);
        }}
        onDeleted={(d) => {
          remove(d);
          headingRef.current?.focus();
          props.onShowSpan(null);
          props.onChanged(`${KIND_LABEL[d.kind].short} deleted.`);
        }}
      />
    );
  }

  useEffect(() => {
    // A linked contribution takes focus itself, when it appears.
    if (linkedPath) return;
    if (!props.focusForm || !viewer) headingRef.current?.focus();
    // Once, when the panel opens.
  }, []);

  return (
    <DiscussionContext.Provider value={place}>
    <div
      id={props.id}
      role="region"
      aria-labelledby={`${props.id}-title`}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          props.onClose();
        }
      }}
      // Wide screens: a sidebar over the margin below, so the paragraph's row keeps its height (no gap
      // in the text) and nothing is clipped by an inner scroll box. Narrow screens: in the flow.
      className="mt-3 rounded-lg border border-stone-300 bg-white p-4 shadow-sm lg:absolute lg:inset-x-0 lg:shadow-xl"
    >
      <div className="flex items-start justify-between gap-2">
        <h2 id={`${props.id}-title`} ref={headingRef} tabIndex={-1} className="font-sans text-base font-semibold outline-none">
          Discussion of paragraph {props.index + 1}
        </h2>
        <button
          type="button"
          onClick={props.onClose}
          className="rounded px-2 text-sm text-stone-700 underline-offset-2 hover:underline focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Close<span className="sr-only"> discussion of paragraph {props.index + 1}</span>
        </button>
      </div>

      {viewer ? (
        <>
          <div className="mt-2">
            <FollowButton target={`paragraph:${paragraph.anchorId}`} what="this paragraph" announce={announce} />
          </div>
          {!composing && (
            <button
              type="button"
              ref={respondRef}
              aria-expanded={false}
              aria-controls={`${props.id}-compose`}
              onClick={() => setComposing(true)}
              className="mt-3 max-w-full rounded bg-stone-900 px-3 py-1.5 text-left text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500"
            >
              Respond
              {claim.kind === "span" && <span className="font-normal"> to “{shorten(claim.exact, 60)}”</span>}
            </button>
          )}
          {/* Hidden, not removed: a draft survives Cancel while the discussion stays open. */}
          <div id={`${props.id}-compose`} hidden={!composing}>
            <ContributionForm
              slug={slug}
              versionId={props.versionId}
              paragraph={paragraph}
              claim={claim}
              autoFocus={composing}
              onClaimChange={setClaim}
              onCancel={closeForm}
              onPosted={(c) => {
                setItems((prev) => [c, ...prev.filter((x) => x.id !== c.id)]);
                closeForm();
                props.onChanged(`${KIND_LABEL[c.kind].short} posted.`);
              }}
            />
          </div>
        </>
      ) : (
        <p className="mt-3 rounded bg-stone-100 px-3 py-2 text-sm text-stone-800">
          <Link
            href={`/signin?callbackUrl=${encodeURIComponent(`/articles/${slug}#${paragraph.anchorId}`)}`}
            className="font-medium underline"
          >
            Sign in
          </Link>{" "}
          to add an annotation, a counterpoint or a source.
        </p>
      )}

      <div className="mt-5">
        {covering !== null && (
          <p className="mb-2 text-sm text-stone-700">
            Showing contributions on the highlighted passage.{" "}
            <button type="button" onClick={props.onShowAll} className="underline">
              Show all for this paragraph
            </button>
          </p>
        )}
        {props.linked && "error" in props.linked && (
          <p role="status" className="mb-3 rounded border border-stone-300 bg-stone-50 px-3 py-2 text-sm text-stone-800">
            {props.linked.error}
          </p>
        )}
        {pinned && linkedPath && (
          <section aria-labelledby={`${props.id}-linked`} className="mb-6">
            <h3 id={`${props.id}-linked`} className="mb-1 text-sm font-medium text-stone-800">
              {linkedPath.length > 1 ? "The linked reply, in its thread" : "The linked contribution"}
            </h3>
            <ol>
              {node(
                pinned,
                setPinned,
                (d) => setPinned(d.replyCount > 0 ? asRemoved(d) : null),
                linkedPath.slice(1),
              )}
            </ol>
          </section>
        )}
        <h3 className="sr-only">Contributions</h3>
        {(items.length > 1 || kind !== null) && <KindFilter kind={kind} disabled={loading} onChange={setKind} />}
        {items.length > 1 && sort && <SortToggle sort={sort} disabled={loading} onChange={setChosen} />}
        {error && (
          <p className="text-sm text-red-800">
            {error}{" "}
            <button type="button" className="underline" onClick={() => void load(null)}>
              Retry
            </button>
          </p>
        )}
        {!loading && !error && shown.length === 0 && !pinned && (
          <p className="text-sm text-stone-700">
            {kind
              ? `No ${KIND_LABEL[kind].many} on this ${covering !== null ? "passage" : "paragraph"}.`
              : `No contributions on this ${covering !== null ? "passage" : "paragraph"} yet.`}
          </p>
        )}
        <ol className="space-y-4" aria-label={`${kind ? KIND_LABEL[kind].short + "s" : "Contributions"} on paragraph ${props.index + 1}, ${sort === "helpful" ? "most helpful" : "newest"} first`}>
          {shown.map((c) =>
            node(
              c,
              (u) => setItems((prev) => prev.map((x) => (x.id === u.id ? u : x))),
              // With replies it stays, as a placeholder that keeps them in context.
              (d) => setItems((prev) => (d.replyCount > 0 ? prev.map((x) => (x.id === d.id ? asRemoved(x) : x)) : prev.filter((x) => x.id !== d.id))),
            ),
          )}
        </ol>
        {loading && <p className="mt-3 text-sm text-stone-600">Loading…</p>}
        {cursor && !loading && (
          <button
            type="button"
            onClick={() => void load(cursor)}
            className="mt-4 w-full rounded border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            {sort === "helpful" ? "Show more contributions" : "Show older contributions"}
          </button>
        )}
      </div>
    </div>
    </DiscussionContext.Provider>
  );
}
