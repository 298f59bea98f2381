import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, fieldError } from "@/lib/http/errors";
import { kickMailWorker } from "@/lib/mail/send-pending";
import { hashPassword } from "./password";
import type { SignUpInput } from "./schemas";
import { queueVerificationEmail } from "./verify-email";

export interface PublicUser {
  id: string;
  name: string;
  role: string;
}

/** Creates the account and, in the same transaction, queues its verification email. */
export async function signUp(input: SignUpInput): Promise<PublicUser> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash },
        select: { id: true, name: true, role: true, email: true },
      });
      await queueVerificationEmail(tx, created);
      return created;
    });
    kickMailWorker();
    return { id: user.id, name: user.name, role: user.role };
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw fieldError("email", "is already registered", { code: "conflict", summary: "An account with this email already exists. Sign in instead." });
    }
    throw err;
  }
}
