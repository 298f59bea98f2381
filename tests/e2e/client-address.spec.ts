/**
 * The client address behind rate limits and the sign-in lockout, through real HTTP against the
 * production server (scripts/server.mjs) with the real limits (RATE_LIMIT_MULTIPLIER=1). The
 * suite's own server runs with 100x limits, so each test here starts a server of its own: an
 * in-memory embedded database, on a port the operating system picks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { expect, newUserData, test } from "./fixtures";

test.describe.configure({ timeout: 180_000 });

interface Server {
  api: APIRequestContext;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startServer(trustedProxyHops: number): Promise<Server> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXTAUTH_SECRET: "client-address-secret-not-for-production",
    NEXTAUTH_URL: origin,
    PGLITE_DIR: "memory://",
    RATE_LIMIT_MULTIPLIER: "1",
    TRUSTED_PROXY_HOPS: String(trustedProxyHops),
  };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [path.join("scripts", "server.mjs"), "-p", String(port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  };
  const api = await playwrightRequest.newContext({ baseURL: origin });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${log}`);
    const ok = await api.get("/api/auth/csrf", { timeout: 2000 }).then((r) => r.ok(), () => false);
    if (ok && log.includes("[startup] database ready")) break;
    if (i > 120) {
      await stop();
      throw new Error(`the server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    api,
    stop: async () => {
      await api.dispose();
      await stop();
    },
  };
}

const signUp = (api: APIRequestContext, xff: string) =>
  api.post("/api/signup", { data: newUserData("Limited"), headers: { "x-forwarded-for": xff } });

async function signInAttempt(api: APIRequestContext, email: string, password: string, xff: string): Promise<number> {
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    headers: { "x-forwarded-for": xff },
  });
  return res.status();
}

test("with no trusted proxy (the default), a forged X-Forwarded-For does not escape the sign-up limit", async () => {
  const server = await startServer(0);
  try {
    // Sign-up: 5 an hour per address; every request claims another address.
    const signUps: number[] = [];
    for (let i = 1; i <= 7; i++) signUps.push((await signUp(server.api, `203.0.113.${i}`)).status());
    expect(signUps).toEqual([201, 201, 201, 201, 201, 429, 429]);
    // Without the header it is the same address, and as refused.
    expect((await server.api.post("/api/signup", { data: newUserData("Limited") })).status()).toBe(429);
  } finally {
    await server.stop();
  }
});

test("with no trusted proxy, the sign-in lockout holds against forged X-Forwarded-For headers", async () => {
  const server = await startServer(0);
  try {
    const user = newUserData("Owner");
    expect((await server.api.post("/api/signup", { data: user })).status()).toBe(201);
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++) statuses.push(await signInAttempt(server.api, user.email, "wrong-password-guess", `198.51.100.${i}`));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // The right password from this (locked) address, with yet another forged header: still refused.
    expect(await signInAttempt(server.api, user.email, user.password, "192.0.2.200")).toBe(429);
  } finally {
    await server.stop();
  }
});

test("behind two trusted proxies, only the second entry from the end counts", async () => {
  const server = await startServer(2);
  try {
    // The client (203.0.113.50) forges a different first entry every time; our outer proxy
    // appended the client's real address, the inner proxy the outer one's (10.0.0.1).
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await signUp(server.api, `6.6.6.${i}, 203.0.113.50, 10.0.0.1`)).status());
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    // Another client behind the same proxies has its own quota.
    expect((await signUp(server.api, "203.0.113.51, 10.0.0.1")).status()).toBe(201);
  } finally {
    await server.stop();
  }
});
