import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * The signed one-click unsubscribe token (no database, no environment: lib/mail/unsubscribe.ts
 * passes NEXTAUTH_SECRET). The token is the user id and an HMAC-SHA256 of it under a key
 * derived with HKDF from the secret, so it needs no table and cannot be forged for another
 * account. It does not expire: an unsubscribe link in an old email must still work. Changing
 * the secret invalidates every link.
 */

const PURPOSE = "digest-unsubscribe:v1:";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const key = (secret: string) => Buffer.from(hkdfSync("sha256", secret, "marginalia-email", "unsubscribe-links", 32));
const mac = (secret: string, userId: string) => createHmac("sha256", key(secret)).update(PURPOSE + userId).digest();

export function signUnsubscribeToken(secret: string, userId: string): string {
  return `${userId}.${mac(secret, userId).toString("base64url")}`;
}

/** The user id the token was signed for, or null if it was not signed with `secret`. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const [userId, sig, extra] = token.split(".");
  if (extra !== undefined || !userId || !sig || !UUID.test(userId)) return null;
  const given = Buffer.from(sig, "base64url");
  const expected = mac(secret, userId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}
