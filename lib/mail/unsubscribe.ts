import { getDb, type Tx } from "@/lib/db/client";
import { env, publicBaseUrl } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { enqueueEmail } from "./outbox";
import { digestMessage, link } from "./templates";
import * as signed from "./unsubscribe-token";

/** Signed one-click unsubscribe links for digest emails (RFC 8058); the token: lib/mail/unsubscribe-token.ts. */

function secret(): string {
  const s = env().NEXTAUTH_SECRET;
  // Only `next dev` runs without a secret (production refuses to start): say so, never a 500.
  if (!s) throw new AppError("unavailable", "Unsubscribe links need NEXTAUTH_SECRET to be set on the server.");
  return s;
}

export const signUnsubscribeToken = (userId: string) => signed.signUnsubscribeToken(secret(), userId);

/** The user id the token was signed for, or null if it was not signed by us. */
export const verifyUnsubscribeToken = (token: string) => signed.verifyUnsubscribeToken(secret(), token);

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
