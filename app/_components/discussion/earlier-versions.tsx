"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState } from "react";
import type { ContributionDto } from "@/lib/annotations/dto";
import type { ContributionThread } from "@/lib/annotations/get-contribution-thread";
import type { OrphanDto } from "@/lib/annotations/list-orphans";
import { getJson } from "../api";
import type { Viewer } from "../use-viewer";
import { DiscussionContext } from "./discussion-context";
import type { ParagraphProps } from "./article-discussion";
import { ORPHANS_ANCHOR as EARLIER_VERSIONS_ID } from "@/lib/annotations/links";
// Fetched with the list (when the section is opened), not with the page (see article-discussion.tsx).
const Orphan = dynamic(() => import("./orphan").then((m) => m.Orphan));

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
