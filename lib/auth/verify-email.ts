import { getDb, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { enqueueEmail } from "@/lib/mail/outbox";
import { kickMailWorker } from "@/lib/mail/send-pending";
import { verifyEmailMessage } from "@/lib/mail/templates";
import { consumeEmailToken, issueEmailToken } from "./email-tokens";

/**
 * Email verification: sign-up queues the email in the same transaction as the account; the
 * link's token (single use, 7 days) confirms the address it was sent to. Until then the reader
 * sees a banner with "send it again"; whether they may post is REQUIRE_VERIFIED_EMAIL_TO_POST.
 */

export async function queueVerificationEmail(tx: Tx, user: { id: string; email: string; name: string }): Promise<void> {
  const token = await issueEmailToken(tx, user, "VERIFY_EMAIL");
  await enqueueEmail(tx, { kind: "VERIFY_EMAIL", to: user.email, userId: user.id, ...verifyEmailMessage(user.name, token) });
}

export const INVALID_VERIFY_LINK = "This confirmation link is not valid: it was already used, it has expired, or a newer one was sent.";

/** Confirms the address the token was sent to. */
export async function confirmEmail(token: string): Promise<void> {
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const now = new Date();
    const used = await consumeEmailToken(tx, token, "VERIFY_EMAIL", now);
    const updated = used
      ? await tx.user.updateMany({ where: { id: used.userId, email: used.email }, data: { emailVerifiedAt: now } })
      : { count: 0 };
    if (updated.count !== 1) throw new AppError("bad_request", INVALID_VERIFY_LINK);
  });
}

/** Sends a new verification email (earlier links stop working once any one is used). */
export async function resendVerificationEmail(userId: string): Promise<void> {
  const db = await getDb();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, name: true, emailVerifiedAt: true } });
  if (user.emailVerifiedAt) throw new AppError("conflict", "Your email address is already confirmed.");
  await db.$transaction((tx) => queueVerificationEmail(tx, user));
  kickMailWorker();
}
