/**
 * Shareable addresses (docs/decisions/0039): a contribution opens its paragraph's discussion, the
 * thread down to it, focused; a passage opens the paragraph with those words marked. Query
 * parameters on the cached article page; the fragment is the paragraph's anchor.
 */
export function contributionPath(slug: string, anchorId: string, id: string): string {
  return `/articles/${encodeURIComponent(slug)}?contribution=${id}#${encodeURIComponent(anchorId)}`;
}

export function passagePath(slug: string, anchorId: string, span: { start: number; end: number }): string {
  return `/articles/${encodeURIComponent(slug)}?passage=${span.start}-${span.end}#${encodeURIComponent(anchorId)}`;
}
