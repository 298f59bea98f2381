import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import { verifyPassword } from "./password";
import { signInSchema } from "./schemas";
import { isSuspendedNow } from "./suspension";
import { recordSignInFailure } from "./sign-in-limits";

/** Thrown from authorize(); next-auth passes the message to the sign-in form as `error`. */
export const SUSPENDED_ERROR = "AccountSuspended";

let cached: NextAuthOptions | undefined;

/** next-auth options, built lazily so `next build` needs no secret. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  cached = {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const db = await getDb();
          const user = await db.user.findUnique({
            where: { email: parsed.data.email },
            select: { id: true, name: true, email: true, role: true, status: true, suspendedUntil: true, passwordHash: true },
          });
          const ok = await verifyPassword(user?.passwordHash, parsed.data.password);
          if (!user || !ok) {
            await recordSignInFailure(new Headers(req?.headers as Record<string, string> | undefined), parsed.data.email);
            return null;
          }
          if (await isSuspendedNow(user)) throw new Error(SUSPENDED_ERROR);
          return { id: user.id, name: user.name, email: user.email };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      // What the browser learns at /api/auth/session: re-read from the database each time,
      // so a suspended account shows as signed out and a role change shows at once.
      async session({ session, token }) {
        if (typeof token.uid !== "string") return { expires: session.expires };
        let user: { id: string; name: string; role: Role; status: string } | null;
        try {
          const db = await getDb();
          user = await db.user.findUnique({ where: { id: token.uid }, select: { id: true, name: true, role: true, status: true } });
        } catch (err) {
          // next-auth answers a failing callback with "no session" and deletes the session
          // cookie: a database restart would sign everyone out. Keep the session (id only);
          // the request's own database read then answers 503 (lib/http/respond.ts).
          if (isDatabaseUnavailable(err)) return { expires: session.expires, user: { id: token.uid } };
          throw err;
        }
        if (!user || user.status !== "ACTIVE") return { expires: session.expires };
        return { expires: session.expires, user: { id: user.id, name: user.name, role: user.role } };
      },
    },
  };
  return cached;
}
