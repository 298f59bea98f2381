"use client";

import { hasSessionHint } from "@/lib/auth/session-cookie";
import { getJson } from "./api";

/**
 * Who is signed in, as the browser learns it from /api/auth/session (whose callback re-reads the
 * user from the database): what next-auth's SessionProvider and useSession did for this app, in a
 * fraction of the JavaScript every page loads (docs/decisions/0047-session-reader.md). One store
 * for the page's lifetime, as next-auth's was; read it through useViewer().
 *
 * It asks the server only when the session hint cookie says this browser holds a session
 * (lib/auth/session-cookie.ts): a signed-out reader pays no request. Like next-auth's client it
 * reads the session again when another tab says the session changed (next-auth's own
 * localStorage channel, "nextauth.message", so the sign-in pages' next-auth client is heard too),
 * and when the tab becomes visible again while signed in.
 */

export interface Viewer {
  id: string;
  name: string;
  role: string;
  /** False until the email address is confirmed (the banner in the layout). */
  emailVerified?: boolean;
}

export interface SessionState {
  /** True until the first answer (or until the hint said there is no session). */
  loading: boolean;
  viewer: Viewer | null;
}

interface SessionBody {
  user?: Partial<Viewer>;
}

const SESSION_URL = "/api/auth/session";
const CSRF_URL = "/api/auth/csrf";
const SIGN_OUT_URL = "/api/auth/signout";
/** next-auth's cross-tab channel (next-auth/client/_utils.js BroadcastChannel). */
const CHANNEL = "nextauth.message";

/** What the server renders and the browser starts with: nothing known yet. */
export const LOADING: SessionState = { loading: true, viewer: null };
const SIGNED_OUT: SessionState = { loading: false, viewer: null };

let state: SessionState = LOADING;
/** Whether the last answer was a session at all (next-auth's `_session !== null`): focus re-reads only then. */
let hadSession = false;
let started = false;
let latest = 0;
const listeners = new Set<() => void>();

function publish(next: SessionState): void {
  if (next.loading === state.loading && sameViewer(next.viewer, state.viewer)) return;
  state = next;
  for (const l of listeners) l();
}

function sameViewer(a: Viewer | null, b: Viewer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.id === b.id && a.name === b.name && a.role === b.role && a.emailVerified === b.emailVerified;
}

function toViewer(body: SessionBody | null): Viewer | null {
  const u = body?.user;
  return u?.id && u.name && u.role ? { id: u.id, name: u.name, role: u.role, emailVerified: u.emailVerified } : null;
}

const hinted = () => hasSessionHint(document.cookie);

/** Tells the other tabs to read the session again (next-auth's message shape). */
function broadcast(trigger: "getSession" | "signout"): void {
  try {
    localStorage.setItem(CHANNEL, JSON.stringify({ event: "session", data: { trigger }, timestamp: Math.floor(Date.now() / 1000) }));
  } catch {
    // No storage (private mode, quota): the other tabs catch up when they are next shown.
  }
}

/**
 * When to tell the other tabs after a read: always (a page's first read, as SessionProvider's:
 * that is how a sign-in in one tab reaches the others), only if the answer changed what this tab
 * showed (a read on focus), or never (a read because another tab told us).
 */
type Tell = "always" | "if-changed" | "never";

/** Reads /api/auth/session (the last of overlapping reads wins). */
async function read(tell: Tell): Promise<void> {
  const mine = ++latest;
  const res = await getJson<SessionBody>(SESSION_URL);
  if (mine !== latest) return;
  // next-auth's client treats a failed read as "no session" too.
  const body = res.ok && Object.keys(res.data ?? {}).length > 0 ? res.data : null;
  const before = state;
  hadSession = body !== null;
  publish({ loading: false, viewer: toViewer(body) });
  if (tell === "always" || (tell === "if-changed" && state !== before)) broadcast("getSession");
}

/** Without the hint there is no session to read: signed out, no request. */
function check(tell: Tell): Promise<void> {
  if (hinted()) return read(tell);
  latest++;
  hadSession = false;
  publish(SIGNED_OUT);
  return Promise.resolve();
}

/** next-auth's receiver: `{event: "session", data: …}`, anything else ignored. */
function isSessionMessage(value: string | null): boolean {
  try {
    const message = JSON.parse(value ?? "{}") as { event?: unknown; data?: unknown } | null;
    return message?.event === "session" && Boolean(message.data);
  } catch {
    return false;
  }
}

function start(): void {
  started = true;
  // As SessionProvider on mount: read, and tell the other tabs (that is how a sign-in reaches them).
  void check("always");
  window.addEventListener("storage", (e) => {
    if (e.key === CHANNEL && isSessionMessage(e.newValue)) void check("never");
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && hadSession) void check("if-changed");
  });
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!started) start();
  return () => listeners.delete(listener);
}

export const snapshot = (): SessionState => state;

/**
 * Reads the session now, whatever the hint says (after a sign-in in this tab, as next-auth's
 * signIn did for SessionProvider; the answer also brings the hint).
 */
export function refreshSession(): Promise<void> {
  return read("never");
}

/**
 * Signs out as next-auth's signOut() does: POST /api/auth/signout with the CSRF token from
 * /api/auth/csrf, tell the other tabs, then go to the URL next-auth answers (`callbackUrl`, after
 * its redirect callback), reloading if only the hash would change.
 */
export async function signOut(callbackUrl: string = window.location.href): Promise<void> {
  const csrf = await getJson<{ csrfToken?: string }>(CSRF_URL);
  const res = await fetch(SIGN_OUT_URL, {
    method: "post",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: (csrf.ok && csrf.data.csrfToken) || "", callbackUrl, json: "true" }),
  });
  const data = (await res.json()) as { url?: string };
  broadcast("signout");
  const url = data.url ?? callbackUrl;
  window.location.href = url;
  if (url.includes("#")) window.location.reload();
}
