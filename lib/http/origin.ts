import { cookieHeaderHasSession } from "@/lib/auth/session-cookie";
import { AppError } from "./errors";

/**
 * Cross-site request forgery defence for every state-changing request (proxy.ts calls it;
 * docs/decisions/0021-request-origin.md). A browser tells us where a request comes from:
 * `Sec-Fetch-Site` (every current browser) and `Origin` (on every cross-origin request, and on
 * same-origin ones that are not GET or HEAD). A request is refused (403) when either says it
 * comes from another origin — including another port of the same host, which SameSite=Lax
 * cookies do not stop. A request with neither header is not from a browser page (curl, scripts,
 * the test suite): it carries no one's cookies by accident, so it is let through.
 *
 * JSON routes also refuse (415) a body that is not `application/json`: a plain HTML form or a
 * `no-cors` fetch can only send form encodings or text/plain, and a JSON content type cannot be
 * sent cross-origin without a CORS preflight, which this app never grants.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** A bearer token and no session cookie: a script with a research token (/api/v1), no ambient authority. */
function isTokenOnly(headers: Headers): boolean {
  if (!/^Bearer\s/i.test(headers.get("authorization") ?? "")) return false;
  return !cookieHeaderHasSession(headers.get("cookie"));
}

/**
 * Null if the request may go on; else the error to answer with. `appOrigin` is the app's public
 * origin (NEXTAUTH_URL); an Origin whose host equals the request's Host header is also the app's
 * own (the app reached under another name, e.g. 127.0.0.1): a page elsewhere cannot make a
 * browser send another site's Host with its own Origin.
 */
export function checkOrigin(headers: Headers, appOrigin: string | null): AppError | null {
  if (isTokenOnly(headers)) return null;
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return crossOrigin();
  const origin = headers.get("origin");
  if (origin === null) return null;
  if (appOrigin !== null && origin === appOrigin) return null;
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    // "null" (sandboxed frames, some redirects) or garbage: not ours.
  }
  if (host !== null && host === headers.get("host")) return null;
  return crossOrigin();
}

const crossOrigin = () =>
  new AppError("forbidden", "Requests from other sites are refused. Use the app's own pages, or a bearer token.");

/** A body on a JSON route must say it is JSON. A request without a body (DELETE) passes. */
export function checkJsonContentType(headers: Headers): AppError | null {
  const type = headers.get("content-type");
  const hasBody = (headers.get("content-length") ?? "0") !== "0" || headers.has("transfer-encoding");
  if (type === null && !hasBody) return null;
  const mediaType = (type ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/json") return null;
  return new AppError("unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.");
}
