import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { clientIp, PEER_ADDRESS_HEADER } from "@/lib/http/client-ip";
import { contentSecurityPolicy, rendersPerRequest } from "@/lib/http/csp";
import { STATUS } from "@/lib/http/errors";
import { checkJsonContentType, checkOrigin } from "@/lib/http/origin";
import { safeCallback, safeCallbackPath, sameOriginUrl } from "@/lib/http/redirect";
import { escapeLike } from "@/lib/users/search-users";

const ORIGIN = "http://localhost:3000";

describe("clientIp", () => {
  const from = (peer: string, xff?: string) =>
    new Headers({ [PEER_ADDRESS_HEADER]: peer, ...(xff === undefined ? {} : { "x-forwarded-for": xff }) });

  it("with no trusted proxy, is the socket's address whatever X-Forwarded-For says", () => {
    expect(clientIp(from("192.0.2.7"), 0)).toBe("192.0.2.7");
    expect(clientIp(from("192.0.2.7", "203.0.113.1"), 0)).toBe("192.0.2.7");
    expect(clientIp(from("192.0.2.7", "203.0.113.1, 198.51.100.2"), 0)).toBe("192.0.2.7");
  });

  it("behind N proxies, is the N-th entry from the end; what the client sent before it is ignored", () => {
    // One proxy appended the client's address to whatever the client sent.
    expect(clientIp(from("10.0.0.1", "6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    // Two: the outer proxy appended the client, the inner one appended the outer one.
    expect(clientIp(from("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1"), 2)).toBe("203.0.113.9");
    expect(clientIp(from("10.0.0.2", " 203.0.113.9 ,10.0.0.1 "), 2)).toBe("203.0.113.9");
  });

  it("behind N proxies, a shorter chain did not come through them: the socket's address counts", () => {
    expect(clientIp(from("192.0.2.7"), 1)).toBe("192.0.2.7");
    expect(clientIp(from("192.0.2.7", "203.0.113.9"), 2)).toBe("192.0.2.7");
  });

  it("without the peer header (not started through scripts/server.mjs) every caller shares one bucket", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.1" }), 0)).toBe("unknown");
  });
});

describe("TRUSTED_PROXY_HOPS", () => {
  const saved = process.env.TRUSTED_PROXY_HOPS;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRUSTED_PROXY_HOPS;
    else process.env.TRUSTED_PROXY_HOPS = saved;
    resetEnvCache();
  });
  const withHops = (v: string | undefined) => {
    if (v === undefined) delete process.env.TRUSTED_PROXY_HOPS;
    else process.env.TRUSTED_PROXY_HOPS = v;
    resetEnvCache();
    return () => env().TRUSTED_PROXY_HOPS;
  };

  it("defaults to 0 and reads whole numbers up to 10", () => {
    expect(withHops(undefined)()).toBe(0);
    expect(withHops("2")()).toBe(2);
    expect(withHops(" 10 ")()).toBe(10);
  });

  it("refuses anything else with a message naming the variable", () => {
    for (const bad of ["-1", "1.5", "two", "11", "", "1e1"]) {
      expect(withHops(bad), bad).toThrow(/TRUSTED_PROXY_HOPS: must be a whole number of proxies, 0 to 10/);
    }
  });
});

describe("sameOriginUrl / safeCallback", () => {
  it("follows paths and absolute URLs on the site itself", () => {
    expect(sameOriginUrl("/articles/x?a=1#p-2", ORIGIN)).toBe(`${ORIGIN}/articles/x?a=1#p-2`);
    expect(sameOriginUrl(`${ORIGIN}/admin`, ORIGIN)).toBe(`${ORIGIN}/admin`);
    expect(safeCallbackPath("/research?x=1", ORIGIN)).toBe("/research?x=1");
  });

  it("refuses everything that leaves the origin, as the browser would resolve it", () => {
    const payloads = [
      "/\t/evil.example/",
      "/\n/evil.example/",
      "/\r/evil.example/",
      "/\t\\evil.example/",
      "//evil.example/",
      "/\\evil.example/",
      "\\\\evil.example",
      " //evil.example",
      "/.//evil.example",
      "https://evil.example/",
      "http://localhost:3001/",
      "https://localhost:3000/",
      "http://localhost:3000.evil.example/",
      "http://localhost:3000@evil.example/",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "http://[",
      "evil.example",
      "admin/log",
    ];
    for (const raw of payloads) {
      expect(sameOriginUrl(raw, ORIGIN), JSON.stringify(raw)).toBeNull();
      expect(safeCallback(raw, ORIGIN), JSON.stringify(raw)).toBe(`${ORIGIN}/`);
      expect(safeCallbackPath(raw, ORIGIN), JSON.stringify(raw)).toBe("/");
    }
    expect(safeCallback(null, ORIGIN)).toBe(`${ORIGIN}/`);
    expect(safeCallback("", ORIGIN)).toBe(`${ORIGIN}/`);
  });
});

describe("checkOrigin", () => {
  const h = (init: Record<string, string>) => new Headers({ host: "localhost:3000", ...init });
  const refused = (init: Record<string, string>) => checkOrigin(h(init), ORIGIN);

  it("lets the app's own pages through", () => {
    expect(refused({ origin: ORIGIN, "sec-fetch-site": "same-origin" })).toBeNull();
    expect(refused({ origin: ORIGIN })).toBeNull();
    expect(refused({ "sec-fetch-site": "same-origin" })).toBeNull();
    // The app reached under another name: Origin matches the Host the browser sent.
    expect(checkOrigin(new Headers({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }), ORIGIN)).toBeNull();
  });

  it("refuses other sites, other ports of the same host and opaque origins (403)", () => {
    const cases: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { origin: "http://localhost:4000" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "same-site", origin: "http://localhost:4000" },
      { "sec-fetch-site": "same-origin", origin: "http://evil.example" },
    ];
    for (const init of cases) {
      const err = refused(init);
      expect(err, JSON.stringify(init)).not.toBeNull();
      expect(STATUS[err!.code]).toBe(403);
    }
  });

  it("lets requests that no browser page made through (no Origin, no Sec-Fetch-Site)", () => {
    expect(refused({})).toBeNull();
    expect(refused({ cookie: "next-auth.session-token=x" })).toBeNull();
  });

  it("lets a bearer token without a session cookie through from anywhere; with the cookie it is checked", () => {
    expect(refused({ authorization: "Bearer abc", origin: "http://evil.example" })).toBeNull();
    expect(refused({ authorization: "Bearer abc", origin: "http://evil.example", cookie: "next-auth.session-token=x" })).not.toBeNull();
    expect(refused({ authorization: "Bearer abc", origin: "http://evil.example", cookie: "__Secure-next-auth.session-token.0=x" })).not.toBeNull();
    expect(refused({ origin: "http://evil.example", cookie: "other=1" })).not.toBeNull();
  });
});

describe("checkJsonContentType", () => {
  const type = (init: Record<string, string>) => checkJsonContentType(new Headers(init));
  it("accepts JSON, and no body at all", () => {
    expect(type({ "content-type": "application/json", "content-length": "2" })).toBeNull();
    expect(type({ "content-type": "Application/JSON; charset=utf-8", "content-length": "2" })).toBeNull();
    expect(type({})).toBeNull();
    expect(type({ "content-length": "0" })).toBeNull();
  });
  it("refuses form encodings, text/plain and an untyped body (415)", () => {
    const cases: Record<string, string>[] = [
      { "content-type": "text/plain", "content-length": "2" },
      { "content-type": "text/plain;charset=UTF-8" },
      { "content-type": "application/x-www-form-urlencoded", "content-length": "5" },
      { "content-type": "multipart/form-data; boundary=x", "content-length": "50" },
      { "content-type": "application/jsonx", "content-length": "2" },
      { "content-length": "2" },
      { "transfer-encoding": "chunked" },
    ];
    for (const init of cases) {
      const err = type(init);
      expect(err, JSON.stringify(init)).not.toBeNull();
      expect(STATUS[err!.code]).toBe(415);
    }
  });
});

describe("contentSecurityPolicy", () => {
  const directives = (p: string) => new Map(p.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

  it("pages rendered per request: only scripts with this response's nonce (and what they load)", () => {
    const p = directives(contentSecurityPolicy({ nonce: "abc123", dev: false, https: false }));
    expect(p.get("script-src")).toEqual(["'nonce-abc123'", "'strict-dynamic'"]);
    expect(p.get("object-src")).toEqual(["'none'"]);
    expect(p.get("base-uri")).toEqual(["'self'"]);
    expect(p.get("frame-ancestors")).toEqual(["'none'"]);
    expect(p.get("form-action")).toEqual(["'self'"]);
    expect(p.get("default-src")).toEqual(["'self'"]);
    expect(p.has("upgrade-insecure-requests")).toBe(false);
    expect([...p.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it("cached pages: the site's own scripts and Next's inline bootstrap, nothing from elsewhere", () => {
    const p = directives(contentSecurityPolicy({ nonce: null, dev: false, https: true }));
    expect(p.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(p.get("frame-ancestors")).toEqual(["'none'"]);
    expect(p.has("upgrade-insecure-requests")).toBe(true);
  });

  it("gives a nonce to the pages `next build` renders per request, and only to them", () => {
    for (const p of ["/", "/signin", "/signup", "/admin", "/admin/users", "/admin/articles", "/me/settings", "/research/tokens", "/moderation", "/ranking", "/reset-password", "/verify-email", "/unsubscribe", "/people/7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "/search", "/me/notifications"]) {
      expect(rendersPerRequest(p), p).toBe(true);
    }
    for (const p of ["/privacy", "/articles/some-slug", "/no-such-page", "/administrator", "/signing", "/peoples", "/searching", "//evil"]) {
      expect(rendersPerRequest(p), p).toBe(false);
    }
  });
});

describe("escapeLike", () => {
  it("escapes LIKE's wildcards and its escape character", () => {
    expect(escapeLike("50%_off\\")).toBe("50\\%\\_off\\\\");
    expect(escapeLike("plain")).toBe("plain");
  });
});
