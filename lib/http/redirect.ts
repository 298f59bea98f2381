/**
 * Where to send the browser after sign-in or sign-up (no open redirects). The callback is
 * resolved the way the browser will resolve it — with the URL parser, against the site's own
 * origin — and kept only if the origin is unchanged. String checks are not enough: the parser
 * drops tabs and newlines and reads `\` as `/`, so `/\t/evil.example/` is `//evil.example/`.
 *
 * Returns an absolute URL on `origin`, or null if `raw` leads anywhere else (or is not a URL).
 */
export function sameOriginUrl(raw: string | null | undefined, origin: string): string | null {
  if (!raw) return null;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    // A path, or an absolute URL. Anything else ("evil.example", "admin") is relative to a
    // page we do not know, and next-auth refuses it with a 500 before asking us.
    url = raw.startsWith("/") ? new URL(raw, base) : new URL(raw);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  // "/.//evil.example" resolves to the path "//evil.example": fine as part of an absolute URL,
  // a different host once someone uses the path alone. Refuse it.
  if (url.pathname.startsWith("//")) return null;
  return url.href;
}

/** The callback to follow, or the home page of `origin` if it leads elsewhere. */
export function safeCallback(raw: string | null | undefined, origin: string): string {
  return sameOriginUrl(raw, origin) ?? new URL("/", origin).href;
}

/** The path (with query and fragment) of a same-origin callback, or "/" — for links to pass it on. */
export function safeCallbackPath(raw: string | null | undefined, origin: string): string {
  const url = sameOriginUrl(raw, origin);
  if (!url) return "/";
  const u = new URL(url);
  return `${u.pathname}${u.search}${u.hash}`;
}
