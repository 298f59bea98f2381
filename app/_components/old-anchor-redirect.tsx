"use client";

import { useEffect } from "react";
import type { OldAnchorTarget } from "@/lib/content/resolve-anchor";

/**
 * Old deep links (docs/decisions/0043-article-revisions.md): /articles/<slug>#<anchor of an older
 * version> lands on the successor paragraph — the fragment is replaced (no new history entry),
 * and the article's own deep-link handling (hashchange) scrolls to, highlights and focuses it —
 * or, for a deleted paragraph, goes to its entry on the history page. The map is computed on
 * the server for the current version (lib/content/resolve-anchor.ts oldAnchorMap).
 */
export function OldAnchorRedirect({ slug, map }: { slug: string; map: Record<string, OldAnchorTarget> }) {
  useEffect(() => {
    const go = () => {
      let id: string;
      try {
        id = decodeURIComponent(window.location.hash.slice(1));
      } catch {
        return;
      }
      if (!id || !Object.hasOwn(map, id) || document.getElementById(id)) return;
      const target = map[id]!;
      const url = new URL(window.location.href);
      if ("to" in target) {
        url.hash = target.to;
        window.location.replace(url.toString());
      } else {
        url.pathname = `/articles/${encodeURIComponent(slug)}/history`;
        url.search = "";
        url.hash = id;
        window.location.assign(url.toString());
      }
    };
    go();
    window.addEventListener("hashchange", go);
    return () => window.removeEventListener("hashchange", go);
  }, [slug, map]);
  return null;
}
