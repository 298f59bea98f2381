import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { enqueueEmail } from "@/lib/mail/outbox";
import { kickMailWorker } from "@/lib/mail/send-pending";
import { passwordResetMessage } from "@/lib/mail/templates";
import { TOKEN_TTL_MS, consumeEmailToken, issueEmailToken } from "./email-tokens";
import { hashPassword } from "./password";

/**
 * Password reset by email (docs/decisions/0032-email-tokens.md). Asking gives the same answer
 * whether or not the address has an account; the link carries a single-use token that expires
 * after an hour; using it sets the new password and ends every session signed in before it.
 */

/** The one answer to every reset request (known address, unknown address). */
export const RESET_REQUESTED =
  "If an account uses that address, we have sent it a link to choose a new password. The link works for one hour.";

export async function requestPasswordReset(email: string): Promise<void> {
  const db = await getDb();
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true } });
  if (!user) return;
  await db.$transaction(async (tx) => {
    const token = await issueEmailToken(tx, user, "PASSWORD_RESET");
    const message = passwordResetMessage(user.name, token, TOKEN_TTL_MS.PASSWORD_RESET / 60_000);
    await enqueueEmail(tx, { kind: "PASSWORD_RESET", to: user.email, userId: user.id, ...message });
  });
  kickMailWorker();
}

export const INVALID_RESET_LINK = "This reset link is not valid: it was already used, it has expired, or a newer one was sent. Ask for a new link.";

/** Sets the new password if the token is good; the token and the user's other reset tokens stop working. */
export async function completePasswordReset(token: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const now = new Date();
    const used = await consumeEmailToken(tx, token, "PASSWORD_RESET", now);
    const user = used ? await tx.user.findUnique({ where: { id: used.userId }, select: { email: true, emailVerifiedAt: true } }) : null;
    if (!used || !user || user.email !== used.email) throw new AppError("bad_request", INVALID_RESET_LINK);
    await tx.user.update({
      where: { id: used.userId },
      // The link reached the inbox: that confirms the address too.
      data: { passwordHash, passwordChangedAt: now, emailVerifiedAt: user.emailVerifiedAt ?? now },
      select: { id: true },
    });
  });
}
