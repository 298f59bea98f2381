import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as requestReset } from "@/app/api/password-reset/route";
import { POST as completeReset } from "@/app/api/password-reset/complete/route";
import { POST as unsubscribe } from "@/app/api/email/unsubscribe/route";
import { POST as confirmLink } from "@/app/api/email-verification/route";
import { issueEmailToken } from "@/lib/auth/email-tokens";
import { signedInBefore } from "@/lib/auth/options";
import { verifyPassword } from "@/lib/auth/password";
import { signUp } from "@/lib/auth/sign-up";
import { confirmEmail, resendVerificationEmail } from "@/lib/auth/verify-email";
import { getDb, type Db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-ip";
import { AppError } from "@/lib/http/errors";
import { enqueueEmail } from "@/lib/mail/outbox";
import { flushOutbox, whenMailWorkerIdle } from "@/lib/mail/send-pending";
import { queueDigest, signUnsubscribeToken, verifyUnsubscribeToken } from "@/lib/mail/unsubscribe";
import { suffix, uniqueEmail } from "./support/fixtures";
import { linkIn, startTestSmtp, type TestSmtp } from "./support/smtp";

/**
 * Email through a real SMTP server started here (smtp-server on 127.0.0.1), read back with
 * mailparser: the links in what arrives are followed through the route handlers. No transport
 * is mocked; the outbox worker is the app's own.
 */

const APP = "http://app.test";
let db: Db;
let smtp: TestSmtp;
const saved = { ...process.env };
const userIds: string[] = [];

const post = (url: string, body: unknown, ip = `198.51.100.${suffix()}`) =>
  new Request(`${APP}${url}`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body) });

async function newAccount(password = "original-password-1") {
  const email = uniqueEmail("mail");
  const user = await signUp({ name: `Mail ${suffix()}`, email, password });
  userIds.push(user.id);
  return { ...user, email, password };
}

/** Every queued email is sent (or waiting for a retry): the background worker and one flush. */
async function settle() {
  await whenMailWorkerIdle();
  await flushOutbox();
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  Object.assign(process.env, {
    SMTP_URL: smtp.url,
    MAIL_FROM: "Marginalia <no-reply@app.test>",
    NEXTAUTH_URL: APP,
    NEXTAUTH_SECRET: "integration-secret-0123456789abcdef",
  });
  delete process.env.RATE_LIMIT_MULTIPLIER;
  resetEnvCache();
  db = await getDb();
});

beforeEach(async () => {
  // Nothing left over from another test (or file) is sent during this one.
  await settle();
});

afterEach(async () => {
  await whenMailWorkerIdle();
});

afterAll(async () => {
  await whenMailWorkerIdle();
  await db.user.deleteMany({ where: { id: { in: userIds } } });
  await smtp?.close();
  process.env = saved;
  resetEnvCache();
});

describe("password reset through SMTP", () => {
  it("answers a known and an unknown address the same way, and mails only the known one", async () => {
    const account = await newAccount();
    const unknown = uniqueEmail("nobody");
    const known = await requestReset(post("/api/password-reset", { email: account.email }));
    const other = await requestReset(post("/api/password-reset", { email: unknown }));
    expect(known.status).toBe(202);
    expect(other.status).toBe(known.status);
    expect(await other.json()).toEqual(await known.json());
    await settle();
    expect(smtp.to(account.email).map((m) => m.subject)).toContain("Reset your password");
    expect(smtp.to(unknown)).toEqual([]);
  });

  it("is completed end to end: the mail's link sets a new password, once, and ends older sessions", async () => {
    const account = await newAccount();
    const signedInAt = Date.now() - 1000;
    expect((await requestReset(post("/api/password-reset", { email: account.email.toUpperCase() }))).status).toBe(202);
    const mail = await smtp.waitFor(account.email, { already: 1 }); // the first one is the verification email
    expect(mail.subject).toBe("Reset your password");
    expect(mail.from?.value).toEqual([{ name: "Marginalia", address: "no-reply@app.test" }]);
    expect(mail.html).toContain(`href="${APP}/reset-password?token=`);
    const href = linkIn(mail, `${APP}/reset-password?token=`);
    const token = href.searchParams.get("token")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the token's hash is stored; the sent email's bodies are erased.
    const stored = await db.emailToken.findMany({ where: { userId: account.id, purpose: "PASSWORD_RESET" } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(token);
    const row = await db.outboundEmail.findFirstOrThrow({ where: { userId: account.id, kind: "PASSWORD_RESET" } });
    expect(row).toMatchObject({ status: "SENT", text: null, html: null, attempts: 1 });

    const weak = await completeReset(post("/api/password-reset/complete", { token, password: "short" }));
    expect(weak.status).toBe(422);
    const done = await completeReset(post("/api/password-reset/complete", { token, password: "a-brand-new-password" }));
    expect(done.status).toBe(200);

    const user = await db.user.findUniqueOrThrow({
      where: { id: account.id },
      select: { passwordHash: true, passwordChangedAt: true, emailVerifiedAt: true },
    });
    expect(await verifyPassword(user.passwordHash, "a-brand-new-password")).toBe(true);
    expect(await verifyPassword(user.passwordHash, account.password)).toBe(false);
    expect(user.emailVerifiedAt).not.toBeNull(); // the link reached the inbox
    // A session signed in before the reset no longer counts; one signed in after does.
    expect(signedInBefore(signedInAt, user.passwordChangedAt)).toBe(true);
    expect(signedInBefore(Date.now(), user.passwordChangedAt)).toBe(false);

    const again = await completeReset(post("/api/password-reset/complete", { token, password: "yet-another-password" }));
    expect(again.status).toBe(400);
    expect((await again.json()).error.message).toMatch(/already used|expired/);
  });

  it("refuses an expired link, and a newer link's use ends the older one", async () => {
    const account = await newAccount();
    const [expired, older, newer] = await db.$transaction(async (tx) => [
      await issueEmailToken(tx, account, "PASSWORD_RESET", new Date(Date.now() - 2 * 3600_000)),
      await issueEmailToken(tx, account, "PASSWORD_RESET"),
      await issueEmailToken(tx, account, "PASSWORD_RESET"),
    ]);
    const tryToken = (token: string) => completeReset(post("/api/password-reset/complete", { token, password: "password-from-a-link" }));
    expect((await tryToken(expired!)).status).toBe(400);
    expect((await tryToken(newer!)).status).toBe(200);
    expect((await tryToken(older!)).status).toBe(400);
    expect((await tryToken("not-a-token-we-ever-sent-0123456789")).status).toBe(400);
  });

  it("is rate-limited per address with the same 429 for known and unknown addresses", async () => {
    const account = await newAccount();
    const unknown = uniqueEmail("nobody");
    for (const email of [account.email, unknown]) {
      for (let i = 0; i < 3; i++) expect((await requestReset(post("/api/password-reset", { email }))).status).toBe(202);
      const over = await requestReset(post("/api/password-reset", { email }));
      expect(over.status).toBe(429);
      expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    await settle();
    expect(smtp.to(account.email).filter((m) => m.subject === "Reset your password")).toHaveLength(3);
  });
});

describe("confirmation links", () => {
  it("are rate-limited per address of the caller (trying links is bounded, as for reset links)", async () => {
    const ip = `203.0.113.${suffix()}`;
    const attempt = () =>
      confirmLink(
        new Request(`${APP}/api/email-verification`, {
          method: "POST",
          headers: { "content-type": "application/json", [PEER_ADDRESS_HEADER]: ip },
          body: JSON.stringify({ token: `not-a-token-we-ever-sent-${suffix()}` }),
        }),
      );
    for (let i = 0; i < 30; i++) expect((await attempt()).status).toBe(400);
    const over = await attempt();
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("the outbox", () => {
  it("keeps a message the SMTP server refused and sends it on the next attempt", async () => {
    smtp.refuseNext(1);
    const refusedBefore = smtp.refused;
    const account = await newAccount(); // queues the verification email; the worker's first try is refused
    await whenMailWorkerIdle();
    expect(smtp.refused).toBe(refusedBefore + 1);
    const waiting = await db.outboundEmail.findFirstOrThrow({ where: { userId: account.id } });
    expect(waiting).toMatchObject({ status: "PENDING", attempts: 1, kind: "VERIFY_EMAIL" });
    expect(waiting.lastError).toContain("451");
    expect(waiting.lastError).not.toContain(smtp.url);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000); // backoff: not before 30 s
    expect(waiting.text).toContain("/verify-email?token=");
    expect(smtp.to(account.email)).toEqual([]);

    expect(await flushOutbox()).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due yet
    await db.outboundEmail.update({ where: { id: waiting.id }, data: { nextAttemptAt: new Date() } }); // time passes
    expect(await flushOutbox()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const mail = await smtp.waitFor(account.email);
    expect(mail.subject).toBe("Confirm your email address");
    expect(mail.messageId).toBe(`<${waiting.id}@app.test>`);
    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
  });

  it("sends each message exactly once when several workers flush at the same time", async () => {
    const tag = suffix();
    const to = Array.from({ length: 24 }, (_, i) => `burst-${tag}-${i}@test.invalid`);
    await db.$transaction(async (tx) => {
      for (const address of to) {
        await enqueueEmail(tx, { kind: "DIGEST", to: address, subject: `Burst ${tag}`, text: "Hello", html: "<p>Hello</p>" });
      }
    });
    const results = await Promise.all([flushOutbox(), flushOutbox(), flushOutbox()]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(24);
    for (const address of to) expect(smtp.to(address)).toHaveLength(1);
    await db.outboundEmail.deleteMany({ where: { toAddress: { in: to } } });
  });

  it("takes over a message whose worker stopped mid-send once its lease has run out", async () => {
    const to = `lease-${suffix()}@test.invalid`;
    const id = await db.$transaction((tx) => enqueueEmail(tx, { kind: "DIGEST", to, subject: "Lease", text: "x", html: null as unknown as string }));
    // As a worker that claimed it and died would leave it: SENDING, its lease over.
    await db.outboundEmail.update({ where: { id }, data: { status: "SENDING", attempts: 1, nextAttemptAt: new Date(Date.now() - 1000) } });
    expect((await flushOutbox()).sent).toBe(1);
    expect(smtp.to(to)).toHaveLength(1);
    await db.outboundEmail.delete({ where: { id } });
  });

  it("queues nothing when the event's transaction fails (a duplicate sign-up)", async () => {
    const account = await newAccount();
    const before = await db.outboundEmail.count({ where: { toAddress: account.email } });
    await expect(signUp({ name: "Again", email: account.email, password: "another-password" })).rejects.toBeInstanceOf(AppError);
    expect(await db.outboundEmail.count({ where: { toAddress: account.email } })).toBe(before);
  });

  it("writes .eml files to MAIL_OUTBOX_DIR when SMTP_URL is unset", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "outbox-"));
    const smtpUrl = process.env.SMTP_URL;
    const outbox = process.env.MAIL_OUTBOX_DIR;
    try {
      delete process.env.SMTP_URL;
      process.env.MAIL_OUTBOX_DIR = dir;
      resetEnvCache();
      const to = `file-${suffix()}@test.invalid`;
      const id = await db.$transaction((tx) => enqueueEmail(tx, { kind: "DIGEST", to, subject: "To a file", text: "Plain text", html: "<p>HTML</p>" }));
      expect((await flushOutbox()).sent).toBe(1);
      const files = (await readdir(dir)).filter((f) => f.endsWith(".eml"));
      expect(files).toHaveLength(1);
      expect(files[0]).toContain(id);
      const mail = await simpleParser(await readFile(path.join(dir, files[0]!)));
      expect(mail).toMatchObject({ subject: "To a file", text: "Plain text" });
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : null).toBe(to);
      await db.outboundEmail.delete({ where: { id } });
    } finally {
      process.env.SMTP_URL = smtpUrl;
      process.env.MAIL_OUTBOX_DIR = outbox;
      resetEnvCache();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("email verification", () => {
  it("is mailed at sign-up; its link confirms the address once", async () => {
    const account = await newAccount();
    const mail = await smtp.waitFor(account.email);
    expect(mail.subject).toBe("Confirm your email address");
    const token = linkIn(mail, `${APP}/verify-email?token=`).searchParams.get("token")!;
    expect((await db.user.findUniqueOrThrow({ where: { id: account.id } })).emailVerifiedAt).toBeNull();
    await confirmEmail(token);
    expect((await db.user.findUniqueOrThrow({ where: { id: account.id } })).emailVerifiedAt).not.toBeNull();
    await expect(confirmEmail(token)).rejects.toMatchObject({ code: "bad_request" });
    await expect(resendVerificationEmail(account.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("can be sent again; the new link works", async () => {
    const account = await newAccount();
    await smtp.waitFor(account.email);
    await resendVerificationEmail(account.id);
    const second = await smtp.waitFor(account.email, { already: 1 });
    await confirmEmail(linkIn(second, `${APP}/verify-email?token=`).searchParams.get("token")!);
    expect((await db.user.findUniqueOrThrow({ where: { id: account.id } })).emailVerifiedAt).not.toBeNull();
  });
});

describe("digest unsubscribe links", () => {
  it("are signed: a changed user id or signature is refused", async () => {
    const id = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab";
    const token = signUnsubscribeToken(id);
    expect(verifyUnsubscribeToken(token)).toBe(id);
    const [, sig] = token.split(".");
    expect(verifyUnsubscribeToken(`6f1c2d3e-4b5a-4c6d-8e7f-0123456789ac.${sig}`)).toBeNull();
    expect(verifyUnsubscribeToken(`${id}.${sig!.slice(0, -2)}AA`)).toBeNull();
    expect(verifyUnsubscribeToken(`${id}`)).toBeNull();
    expect(verifyUnsubscribeToken("")).toBeNull();
  });

  it("unsubscribe with one POST to the List-Unsubscribe URL of a digest that arrived by SMTP", async () => {
    const account = await newAccount();
    const user = await db.user.findUniqueOrThrow({ where: { id: account.id }, select: { id: true, email: true, name: true, digestEmails: true } });
    expect(user.digestEmails).toBe(true);
    expect(await db.$transaction((tx) => queueDigest(tx, user, "Replies to your notes", ["Someone answered your annotation."]))).toBe(true);
    await settle();
    const digest = smtp.to(account.email).find((m) => m.subject === "Replies to your notes")!;
    expect(digest.text).toContain("Someone answered your annotation.");
    // The header lines as sent (mailparser folds List-* headers into one object).
    const header = (name: string) => digest.headerLines.find((h) => h.key === name)?.line.slice(name.length + 1).trim();
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const url = /^<([^>]+)>$/.exec(header("list-unsubscribe") ?? "")?.[1];
    expect(url).toMatch(new RegExp(`^${APP}/api/email/unsubscribe\\?token=`));
    // What a mail client sends (RFC 8058): a form POST, no cookie, no Origin.
    const res = await unsubscribe(
      new Request(url!, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }),
    );
    expect(res.status).toBe(200);
    const after = await db.user.findUniqueOrThrow({ where: { id: account.id }, select: { id: true, email: true, name: true, digestEmails: true } });
    expect(after.digestEmails).toBe(false);
    expect(await db.$transaction((tx) => queueDigest(tx, after, "More replies", ["x"]))).toBe(false);
    const forged = await unsubscribe(new Request(`${APP}/api/email/unsubscribe?token=${account.id}.AAAA`, { method: "POST" }));
    expect(forged.status).toBe(400);
  });
});

describe("notification digests", () => {
  it("a daily digest of unread notifications arrives by SMTP once it is due, links to each item, and not again until there is news", async () => {
    const { sendDueDigests } = await import("@/lib/notifications/send-digests");
    const { updateSettings, getSettings } = await import("@/lib/users/settings");
    const { moderationData } = await import("./support/moderation");
    const { createReply } = await import("@/lib/annotations/create-reply");
    const { notifyReplies } = await import("@/lib/notifications/notify-replies");
    const data = moderationData(db);
    try {
      const account = await newAccount();
      await db.user.update({ where: { id: account.id }, data: { emailVerifiedAt: new Date(), createdAt: new Date(Date.now() - 3 * 86_400_000) } });
      const me = { id: account.id, name: account.name, role: "READER" as const };
      expect((await getSettings(me)).digest).toBe("WEEKLY");
      expect((await updateSettings(me, { digest: "DAILY" })).digest).toBe("DAILY");
      const article = await data.article(1);
      const replier = await data.user({ name: "Digest Replier" });
      const mine = await data.post(me, article, { body: "My claim, to be answered." });
      const r = await createReply(replier, mine.id, { kind: "COUNTERPOINT", body: "An answer worth an email." });
      while ((await notifyReplies(db)).events > 0);

      const now = new Date();
      expect(await sendDueDigests(db, now)).toBeGreaterThanOrEqual(1);
      await settle();
      const mail = smtp.to(account.email).find((m) => m.subject === "1 new notification on Marginalia")!;
      expect(mail.text).toContain("Digest Replier replied to you: “An answer worth an email.”");
      expect(linkIn(mail, `${APP}/articles/${article.slug}?contribution=`).searchParams.get("contribution")).toBe(r.id);
      expect(mail.text).toMatch(new RegExp(`Unsubscribe: ${APP}/unsubscribe\\?token=`));

      // Not due again within the day, and nothing new is nothing to send a day later.
      const count = () => smtp.to(account.email).length;
      const before = count();
      await sendDueDigests(db, new Date(now.getTime() + 3600_000));
      await sendDueDigests(db, new Date(now.getTime() + 25 * 3600_000));
      await settle();
      expect(count()).toBe(before);

      // Off: nothing, even with news.
      expect((await updateSettings(me, { digest: "OFF" })).digest).toBe("OFF");
      await createReply(replier, mine.id, { kind: "ANNOTATION", body: "Another answer." });
      while ((await notifyReplies(db)).events > 0);
      await sendDueDigests(db, new Date(now.getTime() + 50 * 3600_000));
      await settle();
      expect(count()).toBe(before);
    } finally {
      await data.cleanup();
    }
  });
});
