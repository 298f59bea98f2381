"use client";

import dynamic from "next/dynamic";
import { useEffect, useId, useRef, useState } from "react";
import type { ContributionDto } from "@/lib/annotations/dto";
import { findQuote } from "@/lib/annotations/find-quote";
import type { ContributionThread } from "@/lib/annotations/get-contribution-thread";
import type { OrphanDto } from "@/lib/annotations/list-orphans";
import { getJson, send } from "../api";
import type { Viewer } from "../use-viewer";
import { DiscussionContext } from "./discussion-context";
import { KIND_LABEL } from "./labels";
import type { ParagraphProps } from "./article-discussion";
import { ORPHANS_ANCHOR as EARLIER_VERSIONS_ID } from "@/lib/annotations/links";
// Fetched with the list, not with the page (see article-discussion.tsx).
const ThreadNode = dynamic(() => import("./thread-node").then((m) => m.ThreadNode));

export { ORPHANS_ANCHOR as EARLIER_VERSIONS_ID } from "@/lib/annotations/links";

interface Page {
  items: OrphanDto[];
  nextCursor: string | null;
}

interface Props {
  slug: string;
  /** Published orphans (the cached page's count; the list adds the viewer's own). */
  count: number;
  paragraphs: ParagraphProps[];
  viewer: Viewer | null;
  /** A change the screen reader should hear; the margin's counts are refreshed. */
  onChanged: (announcement: string) => void;
}

const isModerator = (v: Viewer | null) => v !== null && (v.role === "MODERATOR" || v.role === "ADMIN");

/**
 * "On earlier versions of this article": contributions that re-anchoring could not place on the
 * current text (docs/decisions/0029, 0042), each beside the paragraph it was written on, readable,
 * answerable and reported like any other; loaded on demand, a page at a time. A moderator can put
 * one back on a span of the current text. `#earlier-versions?contribution=<id>` opens it there.
 */
export function EarlierVersions({ slug, count, paragraphs, viewer, onChanged }: Props) {
  const [expanded, setExpanded] = useState(false);
  const [items, setItems] = useState<OrphanDto[]>([]);
  const [pinned, setPinned] = useState<{ root: OrphanDto | ContributionDto; path: ContributionDto[] } | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [linkedId, setLinkedId] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  async function load(after: string | null) {
    setLoading(true);
    setError(null);
    const res = await getJson<Page>(`/api/articles/${slug}/orphans${after ? `?cursor=${encodeURIComponent(after)}` : ""}`);
    setLoading(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setItems((prev) => [...prev, ...res.data.items.filter((i) => !prev.some((p) => p.id === i.id))]);
    setCursor(res.data.nextCursor);
    setLoaded(true);
  }

  function expand() {
    setExpanded(true);
    if (!loaded && !loading) void load(null);
  }

  // A link to an orphan (or the section itself) opens it.
  useEffect(() => {
    const go = () => {
      if (window.location.hash !== `#${EARLIER_VERSIONS_ID}`) return;
      expand();
      const id = new URLSearchParams(window.location.search).get("contribution");
      document.getElementById(EARLIER_VERSIONS_ID)?.scrollIntoView({ block: "start" });
      if (!id) {
        headingRef.current?.focus();
        return;
      }
      setLinkedId(id);
      void getJson<ContributionThread>(`/api/contributions/${encodeURIComponent(id)}`).then((res) => {
        if (res.ok && res.data.path[0]?.anchoring.method === "orphaned") {
          setPinned({ root: res.data.path[0], path: res.data.path.slice(1) });
        } else {
          setError("The linked contribution is not here: it was deleted, hidden by a moderator, or is not published yet.");
          headingRef.current?.focus();
        }
      });
    };
    go();
    window.addEventListener("hashchange", go);
    return () => window.removeEventListener("hashchange", go);
  }, []);

  if (count === 0 && items.length === 0 && !pinned && !expanded) return null;
  const shown = pinned ? items.filter((i) => i.id !== pinned.root.id) : items;
  const remove = (id: string) => {
    setItems((prev) => prev.filter((i) => i.id !== id));
    if (pinned?.root.id === id) setPinned(null);
  };
  const update = (c: ContributionDto) => {
    setItems((prev) => prev.map((i) => (i.id === c.id ? { ...i, ...c } : i)));
    if (pinned?.root.id === c.id) setPinned({ ...pinned, root: { ...pinned.root, ...c } });
  };

  return (
    <DiscussionContext.Provider value={{ slug, anchorId: EARLIER_VERSIONS_ID, linkedId }}>
      <section id={EARLIER_VERSIONS_ID} aria-labelledby="earlier-versions-title" className="mt-12 max-w-[42rem] scroll-mt-24 border-t border-stone-300 pt-6">
        <h2 id="earlier-versions-title" ref={headingRef} tabIndex={-1} className="font-serif text-2xl font-semibold text-stone-900 outline-none">
          On earlier versions of this article
        </h2>
        <p className="mt-2 text-sm text-stone-700">
          {count === 1 ? "One contribution was" : `${count} contributions were`} written on text that has since been revised so much
          that {count === 1 ? "it" : "they"} could not be placed on the current version. {count === 1 ? "It is" : "They are"} kept
          here beside the passage {count === 1 ? "it" : "they"} responded to.
        </p>
        {!expanded && (
          <button
            type="button"
            aria-expanded={false}
            onClick={expand}
            className="mt-3 rounded border border-stone-400 bg-white px-3 py-1.5 text-sm font-medium text-stone-900 hover:border-stone-600 focus:outline-none focus:ring-2 focus:ring-amber-500"
          >
            Show {count === 1 ? "it" : "them"}
          </button>
        )}
        {expanded && (
          <div className="mt-4 space-y-6">
            {error && (
              <p role="alert" className="rounded border border-rose-300 bg-rose-50 px-2 py-1 text-sm text-rose-900">
                {error}
              </p>
            )}
            <ul className="space-y-6" aria-busy={loading}>
              {pinned && (
                <Orphan
                  key={pinned.root.id}
                  orphan={pinned.root}
                  path={pinned.path}
                  focus
                  paragraphs={paragraphs}
                  viewer={viewer}
                  onChanged={onChanged}
                  onRemoved={remove}
                  onUpdated={update}
                />
              )}
              {shown.map((o) => (
                <Orphan key={o.id} orphan={o} paragraphs={paragraphs} viewer={viewer} onChanged={onChanged} onRemoved={remove} onUpdated={update} />
              ))}
            </ul>
            {loaded && items.length === 0 && !pinned && <p className="text-sm text-stone-700">There is nothing here you can read.</p>}
            {loading && <p className="text-sm text-stone-600">Loading…</p>}
            {cursor && !loading && (
              <button
                type="button"
                onClick={() => void load(cursor)}
                className="rounded border border-stone-400 bg-white px-3 py-1.5 text-sm font-medium text-stone-900 hover:border-stone-600 focus:outline-none focus:ring-2 focus:ring-amber-500"
              >
                Show more
              </button>
            )}
          </div>
        )}
      </section>
    </DiscussionContext.Provider>
  );
}

function Orphan(props: {
  orphan: OrphanDto | ContributionDto;
  path?: ContributionDto[];
  focus?: boolean;
  paragraphs: ParagraphProps[];
  viewer: Viewer | null;
  onChanged: (announcement: string) => void;
  onRemoved: (id: string) => void;
  onUpdated: (c: ContributionDto) => void;
}) {
  const o = props.orphan;
  const written = "writtenOn" in o ? o.writtenOn : null;
  return (
    <li className="rounded border border-stone-300 bg-stone-50 p-3" data-orphan={o.id}>
      {written && (
        <figure className="mb-3 text-sm">
          <figcaption className="font-sans text-xs font-medium uppercase tracking-wide text-stone-600">
            Written on version {written.version}; no longer in the article since version {o.anchoring.sinceVersion}
          </figcaption>
          <blockquote className="mt-1 border-l-4 border-stone-300 pl-3 font-serif text-stone-800">
            <WithQuote text={written.paragraph} start={o.original?.start ?? o.selector.start} end={o.original?.end ?? o.selector.end} />
          </blockquote>
        </figure>
      )}
      <ul>
      <ThreadNode
        contribution={o}
        path={props.path}
        focusOnMount={props.focus}
        signedIn={props.viewer !== null}
        paragraphText={written?.paragraph ?? ""}
        onShowSpan={() => undefined}
        onChanged={props.onChanged}
        onUpdated={(u) => {
          props.onUpdated(u);
          props.onChanged(`${KIND_LABEL[u.kind].short} updated.`);
        }}
        onDeleted={(d) => {
          props.onRemoved(d.id);
          props.onChanged(`${KIND_LABEL[d.kind].short} deleted.`);
        }}
      />
      </ul>
      {isModerator(props.viewer) && !o.placeholder && (
        <Reattach orphan={o} paragraphs={props.paragraphs} onDone={(n) => { props.onRemoved(o.id); props.onChanged(`Re-attached to paragraph ${n}.`); }} />
      )}
    </li>
  );
}

/** The paragraph as it read, with the quoted words marked (offsets on that text). */
function WithQuote({ text, start, end }: { text: string; start: number; end: number }) {
  if (!(start >= 0 && end > start && end <= text.length)) return <>{text}</>;
  return (
    <>
      {text.slice(0, start)}
      <mark className="bg-amber-100 text-stone-900">
        <span className="sr-only">Quoted: </span>
        {text.slice(start, end)}
      </mark>
      {text.slice(end)}
    </>
  );
}

/** Moderators: put the orphan back on words of a current paragraph (logged; POST /api/admin/contributions/:id/reattach). */
function Reattach({ orphan, paragraphs, onDone }: { orphan: ContributionDto; paragraphs: ParagraphProps[]; onDone: (paragraph: number) => void }) {
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [index, setIndex] = useState(0);
  const [words, setWords] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const wordsRef = useRef<HTMLInputElement>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const p = paragraphs[index];
    if (!p) return;
    const found = words.trim() ? findQuote(p.text, words) : { start: 0, end: p.text.length, exact: p.text };
    if (!found) {
      setError("Those words are not in that paragraph. Copy them from it, punctuation included.");
      wordsRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const res = await send<{ contribution: ContributionDto }>(`/api/admin/contributions/${orphan.id}/reattach`, "POST", {
      anchorId: p.anchorId,
      selector: found,
      version: orphan.version,
      reason: reason.trim() || undefined,
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    onDone(index + 1);
  }

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mt-3 rounded border border-stone-400 bg-white px-2 py-1 text-xs font-medium text-stone-900 hover:border-stone-600 focus:outline-none focus:ring-2 focus:ring-amber-500"
      >
        Re-attach to the current text…
      </button>
    );
  }
  return (
    <form onSubmit={submit} className="mt-3 space-y-2 rounded border border-stone-300 bg-white p-2 text-sm" aria-label="Re-attach to the current text">
      <div>
        <label htmlFor={`${uid}-p`} className="block text-xs font-medium text-stone-800">
          Paragraph of the current version
        </label>
        <select
          id={`${uid}-p`}
          value={index}
          onChange={(e) => setIndex(Number(e.target.value))}
          className="mt-1 w-full rounded border border-stone-400 px-2 py-1"
        >
          {paragraphs.map((p, i) => (
            <option key={p.anchorId} value={i}>
              {i + 1}. {p.text.slice(0, 80)}
              {p.text.length > 80 ? "…" : ""}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${uid}-w`} className="block text-xs font-medium text-stone-800">
          Words of that paragraph the claim is on (empty: the whole paragraph)
        </label>
        <input
          id={`${uid}-w`}
          ref={wordsRef}
          value={words}
          onChange={(e) => setWords(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${uid}-e` : undefined}
          className="mt-1 w-full rounded border border-stone-400 px-2 py-1"
        />
      </div>
      <div>
        <label htmlFor={`${uid}-r`} className="block text-xs font-medium text-stone-800">
          Reason for the log (optional)
        </label>
        <input id={`${uid}-r`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} className="mt-1 w-full rounded border border-stone-400 px-2 py-1" />
      </div>
      {error && (
        <p id={`${uid}-e`} role="alert" className="text-xs text-rose-800">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={busy} className="rounded bg-stone-900 px-3 py-1 text-xs font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500 disabled:opacity-60">
          Re-attach
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded border border-stone-400 px-3 py-1 text-xs font-medium text-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500">
          Cancel
        </button>
      </div>
    </form>
  );
}
