import { load, startLoad, type Figures, type LoadOptions } from "../measure";

/**
 * HTTP for the moderation benchmark: a signed-in session (next-auth credentials sign-in, the
 * session cookie kept), timed single requests, and autocannon runs that send the cookie.
 * (The load itself is bench/lib/measure.ts, with the cookie as a header.)
 */

/** Cookies as name -> value, from Set-Cookie headers. */
export class CookieJar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  has(name: string): boolean {
    return this.cookies.has(name);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * Signs in through next-auth's credentials endpoint as a browser would: GET /api/auth/csrf
 * (token + csrf cookie), then POST /api/auth/callback/credentials form-encoded with json=true.
 * Returns the Cookie header to send (session token included), after checking /api/auth/session.
 */
export async function signIn(origin: string, email: string, password: string): Promise<string> {
  const jar = new CookieJar();
  const csrfRes = await fetch(`${origin}/api/auth/csrf`, { signal: AbortSignal.timeout(30_000) });
  jar.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken?: string };
  if (!csrfToken) throw new Error("GET /api/auth/csrf gave no csrfToken");
  const form = new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${origin}/admin` });
  const res = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: form.toString(),
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  jar.take(res);
  const body = await res.text();
  const sessionCookie = ["next-auth.session-token", "__Secure-next-auth.session-token"].find((n) => jar.has(n));
  if (!sessionCookie) throw new Error(`Sign-in failed (${res.status}): no session cookie\n${body.slice(0, 500)}`);
  const cookie = jar.header();
  const session = (await (await fetch(`${origin}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { id?: string } };
  if (!session.user?.id) throw new Error(`Signed in, but /api/auth/session has no user: ${JSON.stringify(session)}`);
  return cookie;
}

export interface Timed<T> {
  ms: number;
  status: number;
  bytes: number;
  body: T;
}

/** One request, timed from sending to the last byte of the body. */
export async function timedFetch<T = unknown>(url: string, init: RequestInit & { cookie: string }): Promise<Timed<T>> {
  const { cookie, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set("cookie", cookie);
  const t0 = performance.now();
  const res = await fetch(url, { ...rest, headers, redirect: "manual", signal: AbortSignal.timeout(120_000) });
  const text = await res.text();
  const ms = performance.now() - t0;
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
  return { ms, status: res.status, bytes: Buffer.byteLength(text), body: body as T };
}

export type LoadWithHeaders = LoadOptions & { headers: Record<string, string> };

/** autocannon with request headers (the session cookie); percentiles from every response. */
export function loadWithHeaders(opts: LoadWithHeaders): Promise<Figures> {
  return load(opts);
}

export interface BackgroundLoad {
  /** Stops the clients and resolves with what they measured. */
  stop(): Promise<Figures>;
}

/** `connections` clients requesting `paths` until stopped (at most 120 s). */
export function backgroundLoad(opts: Omit<LoadWithHeaders, "duration" | "amount">): BackgroundLoad {
  const run = startLoad({ ...opts, duration: 120 });
  return {
    stop() {
      run.stop();
      return run.done;
    },
  };
}

export interface AuthedScenarioFigures {
  name: string;
  path: string;
  cpu: { server: number; postgres: number | null } | null;
  sequential: Figures;
  loaded: Figures;
}

/** Warm-up (not counted), sequential (1 client), loaded (N clients), CPU per request. */
export async function runAuthedScenario(
  origin: string,
  s: { name: string; path: string; headers: Record<string, string> },
  cfg: { connections: number; duration: number; sequentialRequests: number; warmupSeconds: number },
  sampleCpu?: () => { server: number; postgres: number | null },
): Promise<AuthedScenarioFigures> {
  const base = { origin, paths: [s.path], headers: s.headers };
  await loadWithHeaders({ ...base, connections: cfg.connections, duration: cfg.warmupSeconds });
  const sequential = await loadWithHeaders({ ...base, connections: 1, amount: cfg.sequentialRequests });
  const before = sampleCpu?.();
  const loaded = await loadWithHeaders({ ...base, connections: cfg.connections, duration: cfg.duration });
  const after = sampleCpu?.();
  for (const [label, f] of [["sequential", sequential], ["loaded", loaded]] as const) {
    if (f.non2xx > 0 || f.errors > 0) {
      throw new Error(`${s.name} (${label}): ${f.non2xx} non-2xx responses and ${f.errors} errors — figures would be meaningless`);
    }
  }
  const per = (a: number | null | undefined, b: number | null | undefined) =>
    a == null || b == null || loaded.requests === 0 ? null : (b - a) / loaded.requests;
  const server = per(before?.server, after?.server);
  return { name: s.name, path: s.path, cpu: server === null ? null : { server, postgres: per(before?.postgres, after?.postgres) }, sequential, loaded };
}
