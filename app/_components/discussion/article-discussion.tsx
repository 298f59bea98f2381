"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { emptySummary, type ParagraphSummary } from "@/lib/annotations/summary";
import { useViewer } from "../use-viewer";
import { getJson } from "../api";
import { countsText, KIND_LABEL, KIND_STYLE, total } from "./labels";
import { ParagraphText, rangeOffsets, trimSpan, type Span } from "./paragraph-text";
import type { Claim } from "./thread-panel";
import type { ContributionThread } from "@/lib/annotations/get-contribution-thread";
import { CopyLink } from "./copy-link";
import { passagePath } from "./discussion-context";
import { LiveContext, useArticleStream, type LiveEvent } from "./live";
import { FollowButton, FollowsContext, useArticleFollows } from "./follows";
import { EARLIER_VERSIONS_ID, EarlierVersions } from "./earlier-versions";

// The discussion itself (lists, the editor, ratings, edit history) is fetched when a reader first
// opens one: a reader who only reads the article never downloads it (issue 11, docs/perf.md).
const ThreadPanel = dynamic(() => import("./thread-panel").then((m) => m.ThreadPanel), {
  loading: () => (
    <p role="status" className="mt-2 text-sm text-stone-600">
      Loading the discussion…
    </p>
  ),
});

export interface ParagraphProps {
  anchorId: string;
  text: string;
}

interface Props {
  slug: string;
  versionId: string;
  paragraphs: ParagraphProps[];
  summaries: Record<string, ParagraphSummary>;
  /** The live stream resumes after this event (the page may be a cached copy some seconds old). */
  eventsFrom: string;
  /** Published contributions that could not be placed on this version (listed at the end). */
  orphanCount: number;
}

interface PendingSelection {
  anchorId: string;
  span: Span;
  top: number;
  left: number;
}

interface Open {
  anchorId: string;
  claim: Claim;
  covering: number | null;
  /** Focus the form (a new claim) rather than the panel heading. */
  compose: boolean;
  /** Opened by a shared link to a contribution. */
  linked?: { thread: ContributionThread } | { error: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function ArticleDiscussion({ slug, versionId, paragraphs, summaries: initial, eventsFrom, orphanCount }: Props) {
  const { viewer } = useViewer();
  const [summaries, setSummaries] = useState(initial);
  const [open, setOpen] = useState<Open | null>(null);
  const [shown, setShown] = useState<{ anchorId: string; span: Span } | null>(null);
  const [selection, setSelection] = useState<PendingSelection | null>(null);
  const [targeted, setTargeted] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const rootRef = useRef<HTMLDivElement>(null);

  // Deep links: /articles/<slug>#<anchor> scrolls to the paragraph, highlights and focuses it;
  // ?passage=<start>-<end> also marks those words; ?contribution=<id> opens its discussion, the
  // thread down to it, and focuses it.
  useEffect(() => {
    const go = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const paragraph = paragraphs.find((p) => p.anchorId === id);
      if (!id || !paragraph) return;
      const el = document.getElementById(id);
      if (!el) return;
      setTargeted(id);
      el.scrollIntoView({ block: "center" });
      el.focus({ preventScroll: true });
      const params = new URLSearchParams(window.location.search);
      const passage = /^(\d+)-(\d+)$/.exec(params.get("passage") ?? "");
      if (passage) {
        const start = Number(passage[1]);
        const end = Number(passage[2]);
        if (start < end && end <= paragraph.text.length) setShown({ anchorId: id, span: { start, end } });
      }
      const linked = params.get("contribution");
      if (linked && UUID.test(linked)) void openLinked(id, linked);
    };
    go();
    window.addEventListener("hashchange", go);
    return () => window.removeEventListener("hashchange", go);
  }, [paragraphs]);

  // A text selection inside one paragraph offers "Respond to selection".
  useEffect(() => {
    const check = () => {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0) {
        setSelection(null);
        return;
      }
      const range = sel.getRangeAt(0);
      const start = range.startContainer.parentElement?.closest<HTMLElement>("[data-paragraph-text]");
      const end = range.endContainer.parentElement?.closest<HTMLElement>("[data-paragraph-text]");
      if (!start || start !== end) {
        setSelection(null);
        return;
      }
      const anchorId = start.dataset.paragraphText!;
      const text = paragraphs.find((p) => p.anchorId === anchorId)?.text ?? "";
      const raw = rangeOffsets(start, range);
      const span = raw && trimSpan(text, raw);
      if (!span) {
        setSelection(null);
        return;
      }
      const rect = range.getBoundingClientRect();
      setSelection({ anchorId, span, top: rect.bottom + 8, left: Math.max(8, rect.left) });
    };
    const onUp = () => window.setTimeout(check, 0);
    document.addEventListener("mouseup", onUp);
    document.addEventListener("keyup", onUp);
    const onScroll = () => setSelection(null);
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      document.removeEventListener("mouseup", onUp);
      document.removeEventListener("keyup", onUp);
      window.removeEventListener("scroll", onScroll);
    };
  }, [paragraphs]);

  const refreshSummaries = useCallback(async () => {
    const res = await getJson<{ paragraphs: Record<string, ParagraphSummary> }>(`/api/articles/${slug}/summaries`);
    if (res.ok) setSummaries(res.data.paragraphs);
  }, [slug]);

  // Live: each change arrives with its paragraph's summary; open discussions hear of it too.
  const listeners = useRef(new Set<(e: LiveEvent) => void>());
  const live = useMemo(
    () => ({
      subscribe: (fn: (e: LiveEvent) => void) => {
        listeners.current.add(fn);
        return () => void listeners.current.delete(fn);
      },
      announce: setAnnouncement,
    }),
    [],
  );
  const follows = useArticleFollows(slug, viewer?.id ?? null);
  const stream = useArticleStream(
    slug,
    eventsFrom,
    (e) => {
      setSummaries((prev) => ({ ...prev, [e.anchorId]: e.summary }));
      for (const fn of listeners.current) fn(e);
      // The header's bell looks again: it may be a reply to this reader, or news on what they follow.
      if (e.type === "posted") window.dispatchEvent(new Event("marginalia:live"));
    },
    () => void refreshSummaries(),
  );
  // The page is cached for everyone and counts what is published; a signed-in reader's own
  // pending or hidden contributions are added from the API.
  useEffect(() => {
    if (viewer) void refreshSummaries();
  }, [viewer?.id, refreshSummaries]); // on sign-in or a change of account, not on every new viewer object

  async function openLinked(anchorId: string, contributionId: string) {
    const res = await getJson<ContributionThread>(`/api/contributions/${contributionId}`);
    if (res.ok && res.data.path[0]?.anchoring.method === "orphaned") {
      // Written on text that is gone: it is read in "On earlier versions of this article".
      window.location.hash = EARLIER_VERSIONS_ID;
      return;
    }
    if (res.ok && paragraphs.some((p) => p.anchorId === res.data.anchorId)) {
      setOpen({ anchorId: res.data.anchorId, claim: { kind: "whole" }, covering: null, compose: false, linked: { thread: res.data } });
      return;
    }
    const error =
      res.ok || res.error.status === 404
        ? "The linked contribution is not here: it was deleted, hidden by a moderator, or is not published yet."
        : res.error.message;
    setOpen({ anchorId, claim: { kind: "whole" }, covering: null, compose: false, linked: { error } });
  }

  function openParagraph(anchorId: string, claim: Claim, covering: number | null, compose: boolean) {
    setOpen({ anchorId, claim, covering, compose });
    setShown(null);
  }

  function respondToSelection() {
    if (!selection) return;
    const text = paragraphs.find((p) => p.anchorId === selection.anchorId)!.text;
    const { start, end } = selection.span;
    openParagraph(selection.anchorId, { kind: "span", start, end, exact: text.slice(start, end) }, null, true);
    setSelection(null);
    window.getSelection()?.removeAllRanges();
  }

  function closePanel() {
    const id = open?.anchorId;
    setOpen(null);
    setShown(null);
    if (id) document.getElementById(`discuss-${id}`)?.focus();
  }

  return (
    <LiveContext.Provider value={live}>
    <FollowsContext.Provider value={follows}>
    <div ref={rootRef} className="mt-10" data-article-slug={slug} data-version-id={versionId} data-live={stream}>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {/* As tall as the Follow button from the start: the text below does not jump when it appears. */}
      <div className="mb-6 flex min-h-7 flex-wrap items-center gap-x-4 gap-y-2 font-sans text-xs text-stone-600">
        <p role="status" className="flex items-center gap-2" data-stream-state={stream}>
          <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${stream === "live" ? "bg-emerald-600" : stream === "offline" ? "bg-rose-600" : "bg-stone-400"}`} />
          {stream === "live"
            ? "Live: new contributions appear as they are posted."
            : stream === "offline"
              ? "Offline: trying to reconnect. Nothing you read or write is lost."
              : "Connecting to live updates…"}
        </p>
        {viewer && <FollowButton target="article" what="this article" announce={setAnnouncement} />}
      </div>
      {paragraphs.map((p, i) => {
        const summary = summaries[p.anchorId] ?? emptySummary();
        const isOpen = open?.anchorId === p.anchorId;
        const n = total(summary.counts);
        return (
          <section
            key={p.anchorId}
            id={p.anchorId}
            tabIndex={-1}
            aria-label={`Paragraph ${i + 1}`}
            data-targeted={targeted === p.anchorId ? "true" : undefined}
            className={`group scroll-mt-24 outline-none lg:grid lg:grid-cols-[minmax(0,42rem)_20rem] lg:gap-x-10 ${
              targeted === p.anchorId ? "paragraph-target" : ""
            }`}
          >
            {/* Narrow screens: the ¶ link sits in a gutter of its own (no margin outside the text to hang it in). */}
            <div className="relative mb-6 pl-6 lg:pl-0">
              <a
                href={`#${p.anchorId}`}
                className="absolute left-0 top-1 rounded lg:-left-7 px-1 font-sans text-base text-stone-500 no-underline hover:text-stone-900 focus:text-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500"
                aria-label={`Link to paragraph ${i + 1}`}
                title="Link to this paragraph"
                onClick={() => setTargeted(p.anchorId)}
              >
                ¶
              </a>
              <ParagraphText
                anchorId={p.anchorId}
                text={p.text}
                highlights={summary.highlights}
                depths={summary.depths}
                active={shown?.anchorId === p.anchorId ? shown.span : null}
                // The list: what covers the clicked words; the form's claim: the highlighted passage clicked.
                onOpenSpan={(offset, run) =>
                  openParagraph(p.anchorId, { kind: "span", start: run.start, end: run.end, exact: p.text.slice(run.start, run.end) }, offset, false)
                }
              />
              {selection?.anchorId === p.anchorId && (
                <div
                  onMouseDown={(e) => e.preventDefault()}
                  style={{ position: "fixed", top: selection.top, left: selection.left }}
                  className="z-40 flex items-center gap-2 rounded-full bg-stone-900 p-1 pr-3 text-sm font-medium text-white shadow-lg"
                >
                  <button
                    type="button"
                    onClick={respondToSelection}
                    className="rounded-full bg-white px-3 py-1 text-stone-900 hover:bg-amber-100 focus:outline-none focus:ring-2 focus:ring-amber-500"
                  >
                    Respond to selection
                  </button>
                  <CopyLink
                    path={passagePath(slug, p.anchorId, selection.span)}
                    label="Copy link"
                    what="to the selected words"
                    className="rounded underline-offset-2 hover:underline focus:outline-none focus:ring-2 focus:ring-amber-500"
                  />
                </div>
              )}
            </div>
            <aside aria-label={`Discussion of paragraph ${i + 1}`} className={`mb-8 lg:relative lg:mb-6 ${isOpen ? "lg:z-30" : ""}`}>
              <button
                type="button"
                id={`discuss-${p.anchorId}`}
                aria-expanded={isOpen}
                aria-controls={isOpen ? `thread-${p.anchorId}` : undefined}
                aria-label={`Discuss paragraph ${i + 1}: ${countsText(summary.counts)}`}
                onClick={() => (isOpen ? closePanel() : openParagraph(p.anchorId, { kind: "whole" }, null, false))}
                className="flex flex-wrap items-center gap-1.5 rounded border border-stone-300 bg-white px-2 py-1 text-sm text-stone-800 hover:border-stone-500 focus:outline-none focus:ring-2 focus:ring-amber-500"
              >
                {n === 0 ? (
                  <span>Discuss</span>
                ) : (
                  (["ANNOTATION", "COUNTERPOINT", "SOURCE"] as const)
                    .filter((k) => summary.counts[k] > 0)
                    // A space between the chips, so the visible text reads as words inside the name (axe: label-content-name-mismatch).
                    .flatMap((k, j) => [
                      j > 0 ? " " : null,
                      <span key={k} data-kind={k} className={`rounded border px-1.5 text-xs font-medium ${KIND_STYLE[k]}`}>
                        {summary.counts[k]} {summary.counts[k] === 1 ? KIND_LABEL[k].one : KIND_LABEL[k].many}
                      </span>,
                    ])
                )}
              </button>
              {!isOpen && <MarginSummary summary={summary} />}
              {isOpen && open && (
                <ThreadPanel
                  key={`${p.anchorId}-${open.covering ?? "all"}-${open.claim.kind === "span" ? `${open.claim.start}-${open.claim.end}` : "whole"}`}
                  id={`thread-${p.anchorId}`}
                  slug={slug}
                  versionId={versionId}
                  index={i}
                  paragraph={p}
                  claim={open.claim}
                  covering={open.covering}
                  focusForm={open.compose}
                  linked={open.linked}
                  viewer={viewer}
                  onShowAll={() => setOpen({ ...open, covering: null })}
                  onShowSpan={(span) => setShown(span ? { anchorId: p.anchorId, span } : null)}
                  onChanged={(message) => {
                    setAnnouncement(message);
                    void refreshSummaries();
                  }}
                  onClose={closePanel}
                />
              )}
            </aside>
          </section>
        );
      })}
      <EarlierVersions
        slug={slug}
        count={orphanCount}
        paragraphs={paragraphs}
        viewer={viewer}
        onChanged={(message) => {
          setAnnouncement(message);
          void refreshSummaries();
        }}
      />
    </div>
    </FollowsContext.Provider>
    </LiveContext.Provider>
  );
}

/**
 * What a reader sees of a paragraph's argument without opening it: a marker when counterpoints
 * (or refuting sources) rated helpful across perspectives stand against it, and the first line of
 * the item the discussion opens with.
 */
/** Why the teaser's item comes first (the "Most helpful" order, docs/decisions/0026). */
const TOP_LABEL = { HELPFUL: "Top", NEEDS_MORE_RATINGS: "Latest", RATED: "Highest-rated" } as const;

function MarginSummary({ summary }: { summary: ParagraphSummary }) {
  const { top, contested } = summary;
  if (!top && contested === 0) return null;
  return (
    <div className="mt-2 space-y-1.5 text-sm" data-margin-summary>
      {contested > 0 && (
        <p
          data-contested
          className="inline-block rounded border border-rose-400 bg-rose-50 px-1.5 py-0.5 text-xs font-medium text-rose-900"
        >
          Disputed: {contested} {contested === 1 ? "objection" : "objections"} rated helpful across perspectives
        </p>
      )}
      {top && (
        <p data-top-item className="line-clamp-3 break-words text-stone-700">
          <span className="font-medium text-stone-900">
            {TOP_LABEL[top.ranking]} {KIND_LABEL[top.kind].one}:
          </span>{" "}
          “{top.firstLine}” <span className="whitespace-nowrap text-stone-600">— {top.author}</span>
        </p>
      )}
    </div>
  );
}
