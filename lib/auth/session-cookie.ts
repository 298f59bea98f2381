/**
 * The session's cookies, by name: next-auth's session token (httpOnly, never readable by scripts)
 * and the session hint beside it, a cookie scripts may read that says only "this browser holds a
 * session cookie" (docs/decisions/0047-session-reader.md). The page's header asks
 * /api/auth/session only when the hint is there, so a signed-out reader pays no request.
 *
 * No imports: proxy.ts, the server and the browser's session reader all use this one definition.
 */

/** next-auth's JWT session cookie (`__Secure-` on https; `.0`, `.1`… when it is split in chunks). */
export const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** How long a session lasts (next-auth's `session.maxAge`), in seconds; the hint lasts as long. */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/** Readable by scripts; its value means nothing (it is a hint, never a credential). */
export const SESSION_HINT_COOKIE = "marginalia.session-hint";

/** Whether a `Cookie` request header carries the session token. */
export function cookieHeaderHasSession(cookieHeader: string | null): boolean {
  return cookieNames(cookieHeader).some((name) => SESSION_COOKIE.test(name));
}

/** Whether `document.cookie` (or any `Cookie` header) carries the hint. */
export function hasSessionHint(cookieHeader: string | null): boolean {
  return cookieNames(cookieHeader).includes(SESSION_HINT_COOKIE);
}

function cookieNames(cookieHeader: string | null): string[] {
  if (!cookieHeader) return [];
  return cookieHeader.split(";").map((pair) => pair.split("=", 1)[0]!.trim());
}

/**
 * What a response should do to the hint, from its request (proxy.ts applies it):
 * - sign-out (POST /api/auth/signout) clears it: the response clears the session token;
 * - a session token without the hint sets it (after sign-in, and for sessions older than the hint),
 *   and so does every session read with a token (GET /api/auth/session, where next-auth renews the
 *   token's lifetime): the hint lives as long as the session, never expiring first;
 * - the hint without a session token (the session expired or was cleared) clears it, but only on
 *   API responses: a page's response may be cached by a proxy, and a cached "clear" handed to a
 *   signed-in reader would hide their session. The browser's next session read comes here anyway.
 */
export function sessionHintAction(req: { method: string; pathname: string; cookieHeader: string | null }): "set" | "clear" | null {
  const session = cookieHeaderHasSession(req.cookieHeader);
  const hint = hasSessionHint(req.cookieHeader);
  if (req.method.toUpperCase() === "POST" && req.pathname === "/api/auth/signout") return hint || session ? "clear" : null;
  if (session && (!hint || (req.method.toUpperCase() === "GET" && req.pathname === "/api/auth/session"))) return "set";
  if (hint && !session && req.pathname.startsWith("/api/")) return "clear";
  return null;
}

/** The Set-Cookie for `action` (`https`: Secure, as next-auth's own cookies then are). */
export function sessionHintCookie(action: "set" | "clear", https: boolean) {
  return {
    name: SESSION_HINT_COOKIE,
    value: action === "set" ? "1" : "",
    options: { path: "/", sameSite: "lax" as const, secure: https, httpOnly: false, maxAge: action === "set" ? SESSION_MAX_AGE_S : 0 },
  };
}
