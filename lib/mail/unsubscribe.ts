import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getDb, type Tx } from "@/lib/db/client";
import { env, publicBaseUrl } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { enqueueEmail } from "./outbox";
import { digestMessage, link } from "./templates";

/**
 * Signed one-click unsubscribe links for digest emails (RFC 8058). The token is the user id and
 * an HMAC-SHA256 of it under a key derived (HKDF) from NEXTAUTH_SECRET, so it needs no table and
 * cannot be forged for another account. It does not expire: an unsubscribe link in an old email
 * must still work. Changing NEXTAUTH_SECRET invalidates all of them.
 */

const PURPOSE = "digest-unsubscribe:v1:";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function key(): Buffer {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is needed to sign unsubscribe links");
  return Buffer.from(hkdfSync("sha256", secret, "marginalia-email", "unsubscribe-links", 32));
}

const mac = (userId: string) => createHmac("sha256", key()).update(PURPOSE + userId).digest();

export function signUnsubscribeToken(userId: string): string {
  return `${userId}.${mac(userId).toString("base64url")}`;
}

/** The user id the token was signed for, or null if it was not signed by us. */
export function verifyUnsubscribeToken(token: string): string | null {
  const [userId, sig, extra] = token.split(".");
  if (extra !== undefined || !userId || !sig || !UUID.test(userId)) return null;
  const given = Buffer.from(sig, "base64url");
  const expected = mac(userId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}

export const INVALID_UNSUBSCRIBE_LINK = "This unsubscribe link is not valid. Sign in and change your email settings instead.";

/** Turns digest emails off for the token's account (idempotent). */
export async function unsubscribeFromDigests(token: string): Promise<void> {
  const userId = verifyUnsubscribeToken(token);
  if (!userId) throw new AppError("bad_request", INVALID_UNSUBSCRIBE_LINK);
  const db = await getDb();
  await db.user.updateMany({ where: { id: userId }, data: { digestEmails: false } });
}

/** The headers every digest carries: mail clients show an "Unsubscribe" button that POSTs to the URL. */
export function unsubscribeHeaders(userId: string): Record<string, string> {
  const url = `${publicBaseUrl()}/api/email/unsubscribe?${new URLSearchParams({ token: signUnsubscribeToken(userId) })}`;
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/**
 * Queues a notification digest for a user who has digests on (returns false otherwise), in the
 * caller's transaction. The notifications feature supplies the subject and lines.
 */
export async function queueDigest(
  tx: Tx,
  user: { id: string; email: string; name: string; digestEmails: boolean },
  subject: string,
  lines: string[],
): Promise<boolean> {
  if (!user.digestEmails) return false;
  const page = link("/unsubscribe", { token: signUnsubscribeToken(user.id) });
  await enqueueEmail(tx, {
    kind: "DIGEST",
    to: user.email,
    userId: user.id,
    ...digestMessage(user.name, subject, lines, page),
    headers: unsubscribeHeaders(user.id),
  });
  return true;
}
