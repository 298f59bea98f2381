import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SESSION_HINT_COOKIE } from "@/lib/auth/session-cookie";

/**
 * The browser's session reader (app/_components/session.ts), in Node with the few browser
 * globals it touches stubbed: which requests it makes (none for a signed-out reader), what it
 * publishes, and that sign-out is next-auth's own POST.
 */

type Listener = (e: { key?: string | null; newValue?: string | null }) => void;

interface Page {
  cookie: string;
  visibility: "visible" | "hidden";
  requests: { url: string; init?: RequestInit }[];
  storage: Map<string, string>;
  fire: (type: string, e?: { key?: string | null; newValue?: string | null }) => void;
  location: { href: string; reload: () => void };
  session: unknown;
}

function stubPage(cookie: string): Page {
  const listeners = new Map<string, Listener[]>();
  const on = (type: string, l: Listener) => listeners.set(type, [...(listeners.get(type) ?? []), l]);
  const page: Page = {
    cookie,
    visibility: "visible",
    requests: [],
    storage: new Map(),
    fire: (type, e = {}) => listeners.get(type)?.forEach((l) => l(e)),
    location: { href: "http://localhost/articles/a", reload: vi.fn() },
    session: { user: { id: "u1", name: "Ada", role: "USER", emailVerified: true }, expires: "2099-01-01" },
  };
  vi.stubGlobal("document", {
    get cookie() {
      return page.cookie;
    },
    get visibilityState() {
      return page.visibility;
    },
    addEventListener: on,
  });
  vi.stubGlobal("window", { addEventListener: on, location: page.location });
  vi.stubGlobal("localStorage", { setItem: (k: string, v: string) => page.storage.set(k, v) });
  vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
    page.requests.push({ url, init });
    const body = url === "/api/auth/session" ? page.session : url === "/api/auth/csrf" ? { csrfToken: "tok" } : { url: "http://localhost/articles/a" };
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  });
  return page;
}

const HINT = `${SESSION_HINT_COOKIE}=1`;
const settle = () => new Promise((r) => setTimeout(r, 0));

async function load() {
  vi.resetModules();
  return import("@/app/_components/session");
}

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe("the session reader", () => {
  it("starts loading (what the server renders), and a signed-out reader pays no request", async () => {
    const page = stubPage("theme=dark");
    const s = await load();
    expect(s.snapshot()).toEqual({ loading: true, viewer: null });
    s.subscribe(() => undefined);
    await settle();
    expect(s.snapshot()).toEqual({ loading: false, viewer: null });
    expect(page.requests).toEqual([]);
    // Nor when the tab is shown again.
    page.fire("visibilitychange");
    await settle();
    expect(page.requests).toEqual([]);
  });

  it("with the hint reads /api/auth/session once, publishes name and role, and tells the other tabs", async () => {
    const page = stubPage(HINT);
    const s = await load();
    const seen = vi.fn();
    s.subscribe(seen);
    s.subscribe(() => undefined);
    await settle();
    expect(page.requests.map((r) => r.url)).toEqual(["/api/auth/session"]);
    expect(s.snapshot()).toEqual({ loading: false, viewer: { id: "u1", name: "Ada", role: "USER", emailVerified: true } });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(JSON.parse(page.storage.get("nextauth.message")!)).toMatchObject({ event: "session", data: { trigger: "getSession" } });
  });

  it("treats an empty answer (the token expired) as signed out", async () => {
    const page = stubPage(HINT);
    page.session = {};
    const s = await load();
    s.subscribe(() => undefined);
    await settle();
    expect(s.snapshot()).toEqual({ loading: false, viewer: null });
  });

  it("reads again when the tab is shown while signed in, and tells other tabs only of a change", async () => {
    const page = stubPage(HINT);
    const s = await load();
    s.subscribe(() => undefined);
    await settle();
    page.storage.clear();
    page.visibility = "hidden";
    page.fire("visibilitychange");
    page.visibility = "visible";
    page.fire("visibilitychange");
    await settle();
    expect(page.requests).toHaveLength(2);
    expect(page.storage.size).toBe(0);
    page.session = { user: { id: "u1", name: "Ada L.", role: "MODERATOR", emailVerified: true } };
    page.fire("visibilitychange");
    await settle();
    expect(s.snapshot().viewer).toMatchObject({ name: "Ada L.", role: "MODERATOR" });
    expect(page.storage.has("nextauth.message")).toBe(true);
  });

  it("hears next-auth's cross-tab message: a sign-out elsewhere (hint gone) signs this tab out without a request", async () => {
    const page = stubPage(HINT);
    const s = await load();
    s.subscribe(() => undefined);
    await settle();
    page.cookie = "";
    page.fire("storage", { key: "nextauth.message", newValue: JSON.stringify({ event: "session", data: { trigger: "signout" } }) });
    await settle();
    expect(s.snapshot()).toEqual({ loading: false, viewer: null });
    expect(page.requests).toHaveLength(1);
    // Other keys and other shapes are ignored.
    page.cookie = HINT;
    page.fire("storage", { key: "other", newValue: JSON.stringify({ event: "session", data: {} }) });
    page.fire("storage", { key: "nextauth.message", newValue: "not json" });
    await settle();
    expect(page.requests).toHaveLength(1);
    // A sign-in elsewhere: the hint is there now, so it reads, and does not echo the message.
    page.storage.clear();
    page.fire("storage", { key: "nextauth.message", newValue: JSON.stringify({ event: "session", data: { trigger: "getSession" } }) });
    await settle();
    expect(page.requests).toHaveLength(2);
    expect(s.snapshot().viewer?.name).toBe("Ada");
    expect(page.storage.size).toBe(0);
  });

  it("refreshSession reads whatever the hint says (right after signing in)", async () => {
    const page = stubPage("");
    const s = await load();
    s.subscribe(() => undefined);
    await settle();
    await s.refreshSession();
    expect(page.requests.map((r) => r.url)).toEqual(["/api/auth/session"]);
    expect(s.snapshot().viewer?.name).toBe("Ada");
  });

  it("signs out as next-auth's client does: the CSRF token, a form POST, the message, then the answered URL", async () => {
    const page = stubPage(HINT);
    const s = await load();
    await s.signOut("/articles/a");
    expect(page.requests.map((r) => r.url)).toEqual(["/api/auth/csrf", "/api/auth/signout"]);
    const post = page.requests[1]!.init!;
    expect(post.method).toBe("post");
    expect(post.headers).toEqual({ "Content-Type": "application/x-www-form-urlencoded" });
    expect(Object.fromEntries(post.body as URLSearchParams)).toEqual({ csrfToken: "tok", callbackUrl: "/articles/a", json: "true" });
    expect(JSON.parse(page.storage.get("nextauth.message")!)).toMatchObject({ event: "session", data: { trigger: "signout" } });
    expect(page.location.href).toBe("http://localhost/articles/a");
    expect(page.location.reload).not.toHaveBeenCalled();
  });
});
