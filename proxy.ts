import { NextResponse, type NextRequest } from "next/server";
import { sessionHintAction, sessionHintCookie } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
import { appErrorResponse } from "@/lib/http/app-error-response";
import { appOrigin, usesHttps } from "@/lib/http/app-url";
import { contentSecurityPolicy, newNonce, PERMISSIONS_POLICY, rendersPerRequest } from "@/lib/http/csp";
import { checkJsonContentType, checkOrigin, isStateChanging } from "@/lib/http/origin";
import { badPathReason } from "@/lib/http/parse";

/**
 * Runs before every route (Next 16's proxy, formerly middleware):
 * - a path that cannot be decoded (or holds a NUL) names nothing: 400 here, instead of the 500
 *   Next's router gives when it fails to decode a dynamic segment (lib/http/parse.ts);
 * - state-changing requests: refused from another origin (403), and on JSON routes (every
 *   /api route but next-auth's form posts) without a JSON content type (415) — lib/http/origin.ts;
 * - pages: the Content-Security-Policy, with a per-request nonce on pages rendered per request
 *   (lib/http/csp.ts), and the Permissions-Policy. The other security headers are in next.config.js;
 * - the session hint beside next-auth's session cookie, set or cleared (lib/auth/session-cookie.ts).
 */
export function proxy(req: NextRequest): NextResponse {
  const res = route(req);
  const hint = sessionHintAction({ method: req.method, pathname: req.nextUrl.pathname, cookieHeader: req.headers.get("cookie") });
  if (hint && res.status < 400) {
    const { name, value, options } = sessionHintCookie(hint, usesHttps());
    res.cookies.set(name, value, options);
  }
  return res;
}

function route(req: NextRequest): NextResponse {
  const { pathname } = req.nextUrl;
  const badPath = badPathReason(pathname);
  if (badPath) {
    return pathname.startsWith("/api/")
      ? NextResponse.json({ error: { code: "bad_request", message: badPath } }, { status: 400 })
      : new NextResponse(`Bad request. ${badPath}`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  if (isStateChanging(req.method)) {
    // next-auth's own routes take forms (and carry next-auth's CSRF token); the one-click
    // unsubscribe takes RFC 8058's form body from mail clients, its signed token the only credential.
    const jsonRoute =
      pathname.startsWith("/api/") && !pathname.startsWith("/api/auth/") && pathname !== "/api/email/unsubscribe";
    const refused = checkOrigin(req.headers, appOrigin()) ?? (jsonRoute ? checkJsonContentType(req.headers) : null);
    return refused ? appErrorResponse(refused) : NextResponse.next();
  }
  if (pathname.startsWith("/api/")) return NextResponse.next();

  const nonce = rendersPerRequest(pathname) ? newNonce() : null;
  const policy = contentSecurityPolicy({ nonce, dev: env().NODE_ENV === "development", https: usesHttps() });
  let res: NextResponse;
  if (nonce) {
    // Next reads the nonce from the request's policy and puts it on the scripts it renders.
    const headers = new Headers(req.headers);
    headers.set("content-security-policy", policy);
    res = NextResponse.next({ request: { headers } });
  } else {
    res = NextResponse.next();
  }
  res.headers.set("Content-Security-Policy", policy);
  res.headers.set("Permissions-Policy", PERMISSIONS_POLICY);
  return res;
}

export const config = {
  // Not for build output and files that are the same for everyone (no policy needed on them).
  matcher: ["/((?!_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
