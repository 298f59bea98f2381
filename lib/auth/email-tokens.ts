import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import type { EmailTokenPurpose } from "@/lib/generated/prisma/enums";

/**
 * Single-use tokens sent by email. A token is 32 random bytes (base64url, 43 characters); only
 * its sha256 is stored, so the database alone cannot be used to reset anyone's password.
 * Using one marks it and every other open token of the same purpose for that user as used.
 */

export const TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  PASSWORD_RESET: 60 * 60_000,
  VERIFY_EMAIL: 7 * 24 * 3600_000,
};

export const hashEmailToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** Issues a token (in the caller's transaction) and returns it in the clear, for the email only. */
export async function issueEmailToken(
  tx: Tx,
  user: { id: string; email: string },
  purpose: EmailTokenPurpose,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.emailToken.create({
    data: {
      userId: user.id,
      purpose,
      email: user.email,
      tokenHash: hashEmailToken(token),
      expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
    },
    select: { id: true },
  });
  return token;
}

/**
 * Uses a token: returns its user and address if it is known, of this purpose, unused and
 * unexpired, and marks it (and the user's other open tokens of the purpose) used. The claim is a
 * conditional UPDATE, so two concurrent uses of one token cannot both succeed.
 */
export async function consumeEmailToken(
  tx: Tx,
  token: string,
  purpose: EmailTokenPurpose,
  now = new Date(),
): Promise<{ userId: string; email: string } | null> {
  const claimed = await tx.emailToken.updateManyAndReturn({
    where: { tokenHash: hashEmailToken(token), purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
    select: { userId: true, email: true },
  });
  const row = claimed[0];
  if (!row) return null;
  await tx.emailToken.updateMany({ where: { userId: row.userId, purpose, usedAt: null }, data: { usedAt: now } });
  return row;
}
