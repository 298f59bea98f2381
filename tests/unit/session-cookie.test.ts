import { describe, expect, it } from "vitest";
import {
  cookieHeaderHasSession,
  hasSessionHint,
  SESSION_HINT_COOKIE,
  SESSION_MAX_AGE_S,
  sessionHintAction,
  sessionHintCookie,
} from "@/lib/auth/session-cookie";

const TOKEN = "next-auth.session-token=abc";
const HINT = `${SESSION_HINT_COOKIE}=1`;

describe("the session cookies, by name", () => {
  it("finds next-auth's session token, plain, __Secure- and in chunks, and nothing else", () => {
    expect(cookieHeaderHasSession(TOKEN)).toBe(true);
    expect(cookieHeaderHasSession("a=1; __Secure-next-auth.session-token=x")).toBe(true);
    expect(cookieHeaderHasSession("next-auth.session-token.0=x; next-auth.session-token.1=y")).toBe(true);
    expect(cookieHeaderHasSession("next-auth.csrf-token=x; next-auth.callback-url=y")).toBe(false);
    expect(cookieHeaderHasSession("x=next-auth.session-token")).toBe(false);
    expect(cookieHeaderHasSession(HINT)).toBe(false);
    expect(cookieHeaderHasSession(null)).toBe(false);
    expect(cookieHeaderHasSession("")).toBe(false);
  });

  it("finds the hint by its exact name (document.cookie's shape too)", () => {
    expect(hasSessionHint(`a=1; ${HINT}`)).toBe(true);
    expect(hasSessionHint(`${SESSION_HINT_COOKIE}x=1`)).toBe(false);
    expect(hasSessionHint(`a=${SESSION_HINT_COOKIE}`)).toBe(false);
    expect(hasSessionHint(null)).toBe(false);
  });
});

describe("sessionHintAction: what a response does to the hint", () => {
  const act = (method: string, pathname: string, cookieHeader: string | null) => sessionHintAction({ method, pathname, cookieHeader });

  it("sets it when a request carries a session token and no hint (after sign-in; older sessions)", () => {
    expect(act("GET", "/articles/x", TOKEN)).toBe("set");
    expect(act("GET", "/api/auth/session", TOKEN)).toBe("set");
  });

  it("renews it on every session read with a token, as next-auth renews the token there", () => {
    expect(act("GET", "/api/auth/session", `${TOKEN}; ${HINT}`)).toBe("set");
    expect(act("GET", "/articles/x", `${TOKEN}; ${HINT}`)).toBeNull();
    expect(act("GET", "/api/me/notifications/unread", `${TOKEN}; ${HINT}`)).toBeNull();
  });

  it("clears it on sign-out, whichever of the two the request carries", () => {
    expect(act("POST", "/api/auth/signout", `${TOKEN}; ${HINT}`)).toBe("clear");
    expect(act("post", "/api/auth/signout", HINT)).toBe("clear");
    expect(act("POST", "/api/auth/signout", TOKEN)).toBe("clear");
    expect(act("POST", "/api/auth/signout", null)).toBeNull();
  });

  it("clears a hint without a token on API responses only (a page's response may be cached)", () => {
    expect(act("GET", "/api/auth/session", HINT)).toBe("clear");
    expect(act("GET", "/articles/x", HINT)).toBeNull();
  });

  it("leaves a signed-out reader's responses alone: no Set-Cookie on the cached pages", () => {
    expect(act("GET", "/articles/x", null)).toBeNull();
    expect(act("GET", "/api/auth/session", "a=1")).toBeNull();
  });
});

describe("sessionHintCookie", () => {
  it("is readable by scripts, lives as long as the session, Secure on https", () => {
    expect(sessionHintCookie("set", true)).toEqual({
      name: SESSION_HINT_COOKIE,
      value: "1",
      options: { path: "/", sameSite: "lax", secure: true, httpOnly: false, maxAge: SESSION_MAX_AGE_S },
    });
    expect(sessionHintCookie("clear", false).options).toMatchObject({ maxAge: 0, secure: false });
    expect(sessionHintCookie("clear", false).value).toBe("");
  });
});
