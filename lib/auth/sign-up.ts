import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { fieldError } from "@/lib/http/errors";
import { hashPassword } from "./password";
import type { SignUpInput } from "./schemas";

export interface PublicUser {
  id: string;
  name: string;
  role: string;
}

export async function signUp(input: SignUpInput): Promise<PublicUser> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({
      data: { email: input.email, name: input.name, passwordHash },
      select: { id: true, name: true, role: true },
    });
    return user;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw fieldError("email", "is already registered", { code: "conflict", summary: "An account with this email already exists. Sign in instead." });
    }
    throw err;
  }
}
