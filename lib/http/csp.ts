/**
 * The Content-Security-Policy and Permissions-Policy every page is sent with (proxy.ts;
 * docs/decisions/0022-content-security-policy.md).
 *
 * Pages rendered per request get a fresh nonce: only scripts carrying it run, plus what they
 * load ('strict-dynamic' — Next adds the nonce to its own scripts). Pages served from the
 * cache (/privacy, the ISR article pages, the 404 page) are the same bytes for
 * every visitor, so they cannot carry a per-request nonce; their script-src is 'self' plus
 * 'unsafe-inline' for Next's inline bootstrap scripts. Everything else is the same for both.
 */

/** Pages rendered on every request (`ƒ` in `next build`'s route list): these get a nonce. */
export const PER_REQUEST_PAGES = [
  // The home page: its list and counts come from the data cache, the page itself is rendered per request (ADR 0038).
  "/",
  "/signin",
  "/signup",
  "/admin",
  "/me",
  "/research",
  "/moderation",
  "/ranking",
  // Public, but rendered per request so that a hidden or deleted contribution leaves at once (ADR 0038).
  "/people",
  // Results for the words in the query (ADR 0037).
  "/search",
  // The pages an emailed link opens, with its token in the query.
  "/reset-password",
  "/verify-email",
  "/unsubscribe",
] as const;

export function rendersPerRequest(pathname: string): boolean {
  return PER_REQUEST_PAGES.some((p) => pathname === p || (p !== "/" && pathname.startsWith(`${p}/`)));
}

export interface PolicyOptions {
  /** A fresh random value for this response, or null for a cached page. */
  nonce: string | null;
  /** `next dev`: React's debugging needs eval, and hot reload a websocket. */
  dev: boolean;
  /** The app is served over https: ask the browser to upgrade any http subresource. */
  https: boolean;
}

export function contentSecurityPolicy({ nonce, dev, https }: PolicyOptions): string {
  const scripts = nonce ? [`'nonce-${nonce}'`, "'strict-dynamic'"] : ["'self'", "'unsafe-inline'"];
  if (dev) scripts.push("'unsafe-eval'");
  const directives = [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    // React renders style="" attributes; no stylesheet comes from elsewhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
    "manifest-src 'self'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Powerful features no page of the app uses, switched off for it and anything it embeds. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "browsing-topics=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "publickey-credentials-get=()",
  "serial=()",
  "usb=()",
  "xr-spatial-tracking=()",
].join(", ");

/** 128 random bits, base64: unguessable, and new for every response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
