/**
 * Shareable addresses (docs/decisions/0039): a contribution opens its paragraph's discussion, the
 * thread down to it, focused; a passage opens the paragraph with those words marked. Query
 * parameters on the cached article page; the fragment is the paragraph's anchor.
 */
export function contributionPath(slug: string, anchorId: string | null, id: string): string {
  return `/articles/${encodeURIComponent(slug)}?contribution=${id}#${encodeURIComponent(anchorId ?? ORPHANS_ANCHOR)}`;
}

/**
 * Where an orphan is read: the article's "On earlier versions of this article" section
 * (docs/decisions/0042). Links to an orphan use it instead of a paragraph's anchor.
 */
export const ORPHANS_ANCHOR = "earlier-versions";

/** The fragment of a contribution's link: the paragraph it sits on now, or the orphans' section. */
export function placedAnchor(c: { placedAnchorId: string | null }): string {
  return c.placedAnchorId ?? ORPHANS_ANCHOR;
}

export function passagePath(slug: string, anchorId: string, span: { start: number; end: number }): string {
  return `/articles/${encodeURIComponent(slug)}?passage=${span.start}-${span.end}#${encodeURIComponent(anchorId)}`;
}
