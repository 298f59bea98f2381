import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { checkSignIn, recordSignInFailure, SLOWDOWN_MS } from "@/lib/auth/sign-in-limits";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-ip";
import { AppError, STATUS } from "@/lib/http/errors";
import { errorResponse } from "@/lib/http/respond";
import { LIMITS, NEW_ACCOUNT_MS } from "@/lib/rate-limit/limits";
import { enforce, hit, peek, sweepExpired, type LimitResult } from "@/lib/rate-limit/consume";
import { limitFlagging, limitPosting, limitSignUp } from "@/lib/rate-limit/limits-for";
import { suffix } from "./support/fixtures";
import { appError, onServer } from "./support/moderation";

/**
 * Rate limits (lib/rate-limit) with the real limits (RATE_LIMIT_MULTIPLIER unset): counters
 * live in PostgreSQL, so every app instance shares them, and a refusal is a 429 with
 * Retry-After. Windows slide: "N per W" means at most N accepted hits in any W before now. Each
 * test sets the clock (only Date is faked) to a known point in the future, so no counter here
 * collides with real traffic.
 */

let db: Db;
const DAY = 24 * 60 * 60 * 1000;
/** A UTC midnight tomorrow or the day after: the start of every window length used here. */
const T0 = Math.ceil((Date.now() + DAY) / DAY) * DAY;
const at = (ms: number) => vi.setSystemTime(new Date(T0 + ms));
const ip = () => `203.0.113.${randomBytes(1)[0]! % 250}-${suffix()}`;
const headersFrom = (address: string) => new Headers({ [PEER_ADDRESS_HEADER]: address });

/** A user as getCurrentUser() returns it; ids are only used in counter keys here. */
const person = (ageMs: number | undefined): CurrentUser => ({
  id: `00000000-0000-4000-8000-${randomBytes(6).toString("hex")}`,
  name: "Limited",
  role: "READER",
  createdAt: ageMs === undefined ? undefined : new Date(T0 - ageMs),
});

// The real limits, even if the shell running the suite sets a multiplier for load tests.
const savedMultiplier = process.env.RATE_LIMIT_MULTIPLIER;
delete process.env.RATE_LIMIT_MULTIPLIER;

beforeAll(async () => {
  db = await getDb();
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  if (savedMultiplier !== undefined) process.env.RATE_LIMIT_MULTIPLIER = savedMultiplier;
  // This file's counters: every window it used starts at T0 or later (real traffic's start before).
  await db?.rateLimitBucket.deleteMany({ where: { windowStart: { gte: new Date(T0) } } });
});

const fakeClock = () => vi.useFakeTimers({ toFake: ["Date"] });

describe("the limits in force", () => {
  it("are the real ones (RATE_LIMIT_MULTIPLIER unset)", () => {
    expect(process.env.RATE_LIMIT_MULTIPLIER).toBeUndefined();
    expect(LIMITS.post).toEqual({ max: 1, windowSeconds: 5 });
    expect(LIMITS.postNewAccount).toEqual({ max: 1, windowSeconds: 30 });
    expect(LIMITS.flagsPerDay).toEqual({ max: 20, windowSeconds: 86_400 });
    expect(LIMITS.flagsPerDayNewAccount).toEqual({ max: 5, windowSeconds: 86_400 });
    expect(LIMITS.signInFailuresPerAccountIp).toEqual({ max: 5, windowSeconds: 900 });
    expect(NEW_ACCOUNT_MS).toBe(DAY);
  });

  it("scale with RATE_LIMIT_MULTIPLIER (load tests, e2e) and refuse a bad value, naming it", () => {
    try {
      process.env.RATE_LIMIT_MULTIPLIER = "3";
      expect(LIMITS.flagsPerDay.max).toBe(60);
      expect(LIMITS.post.windowSeconds).toBe(5);
      for (const bad of ["nonsense", "0", "-1"]) {
        process.env.RATE_LIMIT_MULTIPLIER = bad;
        expect(() => LIMITS.flagsPerDay.max, bad).toThrow(/Invalid environment:\n  RATE_LIMIT_MULTIPLIER: /);
      }
    } finally {
      delete process.env.RATE_LIMIT_MULTIPLIER;
    }
  });
});

describe("posting: one per 30 s for accounts younger than a day, one per 5 s after", () => {
  it("an established account: the 2nd post within 5 s is a 429 with Retry-After; 5 s after the first it is free", async () => {
    fakeClock();
    const user = person(2 * DAY);
    const from = ip();
    at(1_000);
    await limitPosting(user, from);
    at(2_000);
    const err = await appError("rate_limited", () => limitPosting(user, from));
    expect(STATUS[err.code]).toBe(429);
    expect(err.details?.retryAfterSeconds).toBe(4);
    expect(err.message).toBe("Too many posts. Try again in 4 seconds.");
    at(5_999);
    await appError("rate_limited", () => limitPosting(user, from));
    at(6_000);
    await limitPosting(user, from);
  });

  it("a new account: one post per 30 s — still refused after 10 s, when an older account could post", async () => {
    fakeClock();
    const user = person(60 * 60 * 1000);
    const from = ip();
    at(1_000);
    await limitPosting(user, from);
    at(2_000);
    expect((await appError("rate_limited", () => limitPosting(user, from))).details?.retryAfterSeconds).toBe(29);
    at(10_000);
    expect((await appError("rate_limited", () => limitPosting(user, from))).details?.retryAfterSeconds).toBe(21);
    at(31_000);
    await limitPosting(user, from);
  });

  it("a new account: two posts 6 s apart are refused wherever they fall on the clock (issue 14, defect 5)", async () => {
    fakeClock();
    const user = person(60 * 60 * 1000);
    const from = ip();
    // Either side of a multiple of 30 s: a clock-aligned window let both through.
    at(2 * 60 * 60 * 1000 + 27_000);
    await limitPosting(user, from);
    at(2 * 60 * 60 * 1000 + 33_000);
    const err = await appError("rate_limited", () => limitPosting(user, from));
    expect(err.details?.retryAfterSeconds).toBe(24);
    at(2 * 60 * 60 * 1000 + 57_000);
    await limitPosting(user, from);
  });

  it("counts an account as new until it is a full day old, and one without a known age as new", async () => {
    fakeClock();
    at(1_000);
    // One millisecond short of a day old at the second post (10 s), and exactly a day old at the first.
    const almostADay = { ...person(undefined), createdAt: new Date(T0 + 10_000 - DAY + 1) };
    const justADay = { ...person(undefined), createdAt: new Date(T0 + 1_000 - DAY) };
    const unknown = person(undefined);
    for (const u of [almostADay, justADay, unknown]) await limitPosting(u, ip());
    at(10_000); // 9 s later: past the 5 s window, inside the 30 s one
    await appError("rate_limited", () => limitPosting(almostADay, ip()));
    await appError("rate_limited", () => limitPosting(unknown, ip()));
    await limitPosting(justADay, ip());
  });

  it("limits one address to 30 posts a minute across accounts", async () => {
    fakeClock();
    at(60 * 60 * 1000 + 1_000);
    const from = ip();
    for (let i = 0; i < 30; i++) await limitPosting(person(2 * DAY), from);
    const err = await appError("rate_limited", () => limitPosting(person(2 * DAY), from));
    expect(err.details?.retryAfterSeconds).toBe(60);
    await limitPosting(person(2 * DAY), ip());
  });
});

describe("flagging: 20 a day (5 for new accounts)", () => {
  it("an established account may flag 20 times a day; the 21st is refused until the first is a day old", async () => {
    fakeClock();
    const user = person(30 * DAY);
    const from = ip();
    at(60_000);
    for (let i = 0; i < 20; i++) await limitFlagging(user, from);
    at(2 * 60 * 60 * 1000);
    const err = await appError("rate_limited", () => limitFlagging(user, from));
    expect(err.details?.retryAfterSeconds).toBe(22 * 60 * 60 + 60);
    expect(err.message).toBe("Too many reports. Try again in 23 hours.");
    at(DAY + 59_000);
    await appError("rate_limited", () => limitFlagging(user, from));
    at(DAY + 60_000);
    await limitFlagging(user, from);
  });

  it("a new account may flag 5 times a day", async () => {
    fakeClock();
    const user = person(60_000);
    at(120_000);
    for (let i = 0; i < 5; i++) await limitFlagging(user, ip());
    await appError("rate_limited", () => limitFlagging(user, ip()));
  });
});

describe("a refusal as an HTTP answer", () => {
  it("errorResponse maps it to 429 with a Retry-After header and a clear message", async () => {
    fakeClock();
    at(3 * 60 * 60 * 1000 + 7_000);
    const user = person(2 * DAY);
    await limitPosting(user, ip());
    const err = await appError("rate_limited", () => limitPosting(user, ip()));
    vi.useRealTimers();

    const res = errorResponse(err);

    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("5");
    expect(await res.json()).toEqual({
      error: { code: "rate_limited", message: "Too many posts. Try again in 5 seconds.", retryAfterSeconds: 5 },
    });
  });

  it("enforce() throws for the first limit exceeded, and says minutes for long waits", async () => {
    fakeClock();
    at(4 * 60 * 60 * 1000);
    const key = `it-enforce-${suffix()}`;
    await enforce("sign-ups", [[key, { max: 2, windowSeconds: 3600 }]]);
    await enforce("sign-ups", [[key, { max: 2, windowSeconds: 3600 }]]);
    const err = await appError("rate_limited", () => enforce("sign-ups", [[key, { max: 2, windowSeconds: 3600 }]]));
    expect(err).toBeInstanceOf(AppError);
    expect(err.details?.retryAfterSeconds).toBe(3600);
    expect(err.message).toBe("Too many sign-ups. Try again in 60 minutes.");

    const from = ip();
    for (let i = 0; i < 5; i++) await limitSignUp(from);
    await appError("rate_limited", () => limitSignUp(from));
  });
});

describe("counters shared by every app instance", () => {
  it("keeps the count in the database: any connection reading the table sees every hit", async () => {
    // With PGlite (mode b) the database lives in this process's memory behind one connection,
    // so a second process cannot open it: there the sharing is shown by counting through the
    // table, sequentially; the test below runs two real processes against PostgreSQL.
    const key = `it-shared-${suffix()}`;
    const now = new Date(T0 + 5 * 60 * 60 * 1000);
    const results: LimitResult[] = [];
    for (let i = 0; i < 4; i++) results.push(await hit(key, LIMITS.signUpPerIp, now));
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    // One row per accepted hit, each counting for an hour from when it was made.
    const rows = await db.rateLimitBucket.findMany({ where: { key }, orderBy: { windowStart: "asc" } });
    expect(rows.map((r) => r.windowStart.getTime() - now.getTime())).toEqual([0, 1, 2, 3]);
    expect(rows[0]).toMatchObject({ count: 1, expiresAt: new Date(now.getTime() + 3_600_000) });
    expect(await peek(key, LIMITS.signUpPerIp, now)).toMatchObject({ count: 4, ok: true });
    expect(await hit(key, LIMITS.signUpPerIp, now)).toMatchObject({ count: 5, ok: true });
    expect(await hit(key, LIMITS.signUpPerIp, now)).toMatchObject({ count: 6, ok: false });
    // The refused hit is not stored.
    expect(await peek(key, LIMITS.signUpPerIp, now)).toMatchObject({ count: 5, ok: false, retryAfterSeconds: 3600 });
  });

  it.runIf(onServer)("two app processes on one PostgreSQL database share one limit: exactly 20 of 30 flags pass", async () => {
    const user = person(30 * DAY);
    const key = `flag:user:${user.id}`;
    const now = new Date(T0 + 6 * 60 * 60 * 1000);
    const other = startInstance(key, "flagsPerDay", now, 15);
    await other.ready;
    other.go();
    const mine = Promise.all(Array.from({ length: 15 }, () => hit(key, LIMITS.flagsPerDay, now)));
    const [a, b] = await Promise.all([mine, other.results]);

    const all = [...a, ...b];
    // Every hit was counted once, one at a time, whichever instance made it: 20 accepted, 10 refused.
    expect(all.filter((r) => r.ok).map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(all.filter((r) => !r.ok).map((r) => r.count)).toEqual(Array(10).fill(21));
    expect(await db.rateLimitBucket.count({ where: { key } })).toBe(20);
    expect(b.length).toBe(15);

    // The app's own check in this instance now refuses the same user: 429.
    fakeClock();
    vi.setSystemTime(now);
    const err = await appError("rate_limited", () => limitFlagging(user, ip()));
    expect(err.details!.retryAfterSeconds).toBeGreaterThan(0);
  }, 60_000);
});

describe("sign-in lock-out per (account, address)", () => {
  const email = () => `Owner-${suffix()}@Test.Invalid`;

  it("locks an address out after 5 failures for that account; the owner elsewhere still signs in", async () => {
    fakeClock();
    at(7 * 60 * 60 * 1000 + 60_000);
    const account = email();
    const attacker = headersFrom(ip());
    for (let i = 0; i < 4; i++) {
      expect(await checkSignIn(attacker, account)).toEqual({ ok: true });
      await recordSignInFailure(attacker, account);
    }
    expect(await checkSignIn(attacker, account)).toEqual({ ok: true });
    await recordSignInFailure(attacker, account);

    const locked = await checkSignIn(attacker, account);
    expect(locked).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
    // Same account, same person, with other capitalisation and spaces: same lock.
    expect(await checkSignIn(attacker, `  ${account.toLowerCase()} `)).toMatchObject({ ok: false });
    // The owner, from their own address: not locked out.
    expect(await checkSignIn(headersFrom(ip()), account)).toEqual({ ok: true });
    // Another account from the attacker's address: not locked out either.
    expect(await checkSignIn(attacker, email())).toEqual({ ok: true });
    // The lock ends 15 minutes after the failures.
    at(7 * 60 * 60 * 1000 + 16 * 60_000 - 1);
    expect(await checkSignIn(attacker, account)).toMatchObject({ ok: false });
    at(7 * 60 * 60 * 1000 + 16 * 60_000);
    expect(await checkSignIn(attacker, account)).toEqual({ ok: true });
  });

  it("only failures count against the account: checking alone never locks anyone out", async () => {
    fakeClock();
    at(8 * 60 * 60 * 1000);
    const account = email();
    for (let i = 0; i < 10; i++) expect(await checkSignIn(headersFrom(ip()), account)).toEqual({ ok: true });
    const from = headersFrom(ip());
    for (let i = 0; i < 10; i++) expect(await checkSignIn(from, account)).toEqual({ ok: true });
  });

  it("limits one address to 30 attempts per 15 minutes, whatever the accounts", async () => {
    fakeClock();
    at(9 * 60 * 60 * 1000);
    const from = headersFrom(ip());
    for (let i = 0; i < 30; i++) expect(await checkSignIn(from, email())).toEqual({ ok: true });
    expect(await checkSignIn(from, email())).toEqual({ ok: false, retryAfterSeconds: 900 });
  });

  it("slows a distributed guess without locking the owner out: past 20 failures from many addresses, attempts are delayed for 15 minutes", async () => {
    fakeClock();
    at(10 * 60 * 60 * 1000 + 5 * 60_000);
    const account = email();
    for (let i = 0; i < 19; i++) await recordSignInFailure(headersFrom(ip()), account);
    expect(await checkSignIn(headersFrom(ip()), account)).toEqual({ ok: true });
    await recordSignInFailure(headersFrom(ip()), account);
    // The owner, from a fresh address, may still try: slowed, never refused.
    expect(await checkSignIn(headersFrom(ip()), account)).toEqual({ ok: true, delayMs: SLOWDOWN_MS });
    at(10 * 60 * 60 * 1000 + 20 * 60_000);
    expect(await checkSignIn(headersFrom(ip()), account)).toEqual({ ok: true });
  });
});

describe("sweepExpired", () => {
  it("removes counters whose window has ended and keeps the others", async () => {
    const old = `it-sweep-old-${suffix()}`;
    const live = `it-sweep-live-${suffix()}`;
    await hit(old, { max: 1, windowSeconds: 60 }, new Date(Date.now() - 10 * 60_000));
    await hit(live, { max: 1, windowSeconds: 3600 }, new Date(T0));
    expect(await sweepExpired()).toBeGreaterThanOrEqual(1);
    expect(await db.rateLimitBucket.count({ where: { key: old } })).toBe(0);
    expect(await db.rateLimitBucket.count({ where: { key: live } })).toBe(1);
  });
});

/** Starts a second app instance (tests/integration/support/rate-limit-instance.mts). */
function startInstance(key: string, limit: string, now: Date, n: number) {
  const script = path.join(process.cwd(), "tests", "integration", "support", "rate-limit-instance.mts");
  const env = { ...process.env };
  delete env.RATE_LIMIT_MULTIPLIER;
  const child = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), [script, key, limit, now.toISOString(), String(n)], {
    cwd: process.cwd(),
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let errOut = "";
  child.stderr.on("data", (d: Buffer) => (errOut += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready\n")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`second instance exited (${code}) before it was ready: ${errOut}`)));
  });
  const results = new Promise<LimitResult[]>((resolve, reject) => {
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("["));
      if (code === 0 && line) resolve(JSON.parse(line) as LimitResult[]);
      else reject(new Error(`second instance failed (${code}): ${errOut}`));
    });
  });
  return { ready, results, go: () => child.stdin.end("go\n") };
}
