import { afterEach, describe, expect, it } from "vitest";
import { signedInBefore } from "@/lib/auth/options";
import { canPost } from "@/lib/auth/permissions";
import { emailTokenSchema, passwordResetCompleteSchema } from "@/lib/auth/schemas";
import { resetEnvCache } from "@/lib/env";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, MAX_ATTEMPTS, backoffMs } from "@/lib/mail/config";
import { passwordResetMessage, verifyEmailMessage } from "@/lib/mail/templates";
import { describeFailure } from "@/lib/mail/transport";
import { signUnsubscribeToken, verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-token";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("outbox backoff", () => {
  it("doubles from 30 s and is capped at 6 h; all attempts span several hours", () => {
    expect(backoffMs(1)).toBe(BACKOFF_BASE_MS);
    expect(backoffMs(2)).toBe(2 * BACKOFF_BASE_MS);
    expect(backoffMs(4)).toBe(8 * BACKOFF_BASE_MS);
    expect(backoffMs(30)).toBe(BACKOFF_MAX_MS);
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => backoffMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(4 * 3600_000);
  });
});

describe("a failure as stored", () => {
  it("never contains the SMTP URL or its password", () => {
    process.env.SMTP_URL = "smtp://mailer:s3cr%40t-pw@mail.example.org:587";
    resetEnvCache();
    const text = describeFailure(new Error("Invalid login for smtp://mailer:s3cr%40t-pw@mail.example.org:587 with s3cr@t-pw"));
    expect(text).not.toContain("s3cr");
    expect(text).toContain("[SMTP_URL]");
    expect(describeFailure(new Error("x".repeat(2000)))).toHaveLength(500);
  });
});

describe("sessions after a password reset", () => {
  it("end when signed in before the change, or from before authAt was recorded", () => {
    const changed = new Date("2026-12-02T12:00:00Z");
    expect(signedInBefore(changed.getTime() - 1, changed)).toBe(true);
    expect(signedInBefore(undefined, changed)).toBe(true);
    expect(signedInBefore(changed.getTime() + 1, changed)).toBe(false);
    expect(signedInBefore(undefined, null)).toBe(false);
  });
});

describe("posting and a confirmed address", () => {
  const reader = { id: "u", name: "R", role: "READER" as const };
  it("is allowed unconfirmed unless the deployment requires confirmation", () => {
    expect(canPost({ ...reader, emailVerified: false }, false)).toBe(true);
    expect(canPost({ ...reader, emailVerified: false }, true)).toBe(false);
    expect(canPost({ ...reader, emailVerified: true }, true)).toBe(true);
    expect(canPost(null, false)).toBe(false);
  });
});

describe("email link tokens", () => {
  it("accept base64url tokens only", () => {
    expect(emailTokenSchema.safeParse("A".repeat(43)).success).toBe(true);
    expect(emailTokenSchema.safeParse("abc").success).toBe(false);
    expect(emailTokenSchema.safeParse("a b".repeat(20)).success).toBe(false);
    expect(passwordResetCompleteSchema.safeParse({ token: "A".repeat(43), password: "short" }).success).toBe(false);
  });
});

describe("templates", () => {
  it("escape the name in HTML and build links from NEXTAUTH_URL", () => {
    process.env.NEXTAUTH_URL = "https://discuss.example.org/";
    resetEnvCache();
    const m = passwordResetMessage(`<img src=x onerror="alert(1)">`, "tok_123", 60);
    expect(m.html).not.toContain("<img");
    expect(m.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(m.text).toContain("https://discuss.example.org/reset-password?token=tok_123");
    expect(verifyEmailMessage("Ann", "t").html).toContain('href="https://discuss.example.org/verify-email?token=t"');
  });
});

describe("unsubscribe tokens", () => {
  const id = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab";
  it("verify only with the secret they were signed with", () => {
    const token = signUnsubscribeToken("secret-one-0123456789", id);
    expect(verifyUnsubscribeToken("secret-one-0123456789", token)).toBe(id);
    expect(verifyUnsubscribeToken("secret-two-0123456789", token)).toBeNull();
    expect(verifyUnsubscribeToken("secret-one-0123456789", `${token}.x`)).toBeNull();
    expect(verifyUnsubscribeToken("secret-one-0123456789", token.replace(id, "not-a-uuid"))).toBeNull();
  });
});
