import { randomBytes } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import { usesHttps } from "@/lib/http/app-url";
import { safeCallback } from "@/lib/http/redirect";
import { verifyPassword } from "./password";
import { signInSchema } from "./schemas";
import { isSuspendedNow } from "./suspension";
import { recordSignInFailure } from "./sign-in-limits";
import { SESSION_MAX_AGE_S } from "./session-cookie";

/** Thrown from authorize(); next-auth passes the message to the sign-in form as `error`. */
export const SUSPENDED_ERROR = "AccountSuspended";

/** A session from before the last password reset (tokens from before authAt existed count as before). */
export function signedInBefore(authAt: unknown, passwordChangedAt: Date | null): boolean {
  if (!passwordChangedAt) return false;
  return typeof authAt !== "number" || authAt < passwordChangedAt.getTime();
}

const DEV_SECRET = Symbol.for("marginalia.devSessionSecret");

/**
 * The secret session tokens are encrypted with: NEXTAUTH_SECRET (required in production, lib/env.ts).
 * Without one, in development, a random secret per process, kept on globalThis so every route bundle
 * of the process uses the same one (sessions end when the dev server restarts). next-auth would
 * otherwise derive one itself, which getCurrentUser (session.ts), decoding the token itself, could not.
 */
export function sessionSecret(): string {
  const configured = env().NEXTAUTH_SECRET;
  if (configured) return configured;
  const g = globalThis as { [DEV_SECRET]?: string };
  g[DEV_SECRET] ??= randomBytes(32).toString("hex");
  return g[DEV_SECRET];
}

let cached: NextAuthOptions | undefined;

/** next-auth options, built lazily so `next build` needs no secret. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  cached = {
    secret: sessionSecret(),
    // Secure cookies (and the __Secure- prefix) whenever the app's URL is https.
    useSecureCookies: usesHttps(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
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
      // Every callbackUrl next-auth is given (query, form or cookie) goes through here. Its default
      // answers 500 for a value that is not a URL ("evil.example"); ours falls back to the home page.
      redirect({ url, baseUrl }) {
        return safeCallback(url, baseUrl);
      },
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          // When this sign-in happened: a password reset after it ends the session (passwordChangedAt).
          token.authAt = Date.now();
        }
        return token;
      },
      // What the browser learns at /api/auth/session: re-read from the database each time,
      // so a suspended account shows as signed out and a role change shows at once; a session
      // signed in before the password was last reset is signed out.
      async session({ session, token }) {
        if (typeof token.uid !== "string") return { expires: session.expires };
        let user: {
          id: string;
          name: string;
          role: Role;
          status: string;
          emailVerifiedAt: Date | null;
          passwordChangedAt: Date | null;
        } | null;
        try {
          const db = await getDb();
          user = await db.user.findUnique({
            where: { id: token.uid },
            select: { id: true, name: true, role: true, status: true, emailVerifiedAt: true, passwordChangedAt: true },
          });
        } catch (err) {
          // next-auth answers a failing callback with "no session" and deletes the session
          // cookie: a database restart would sign everyone out. Keep the session (id only);
          // the request's own database read then answers 503 (lib/http/respond.ts).
          if (isDatabaseUnavailable(err)) return { expires: session.expires, user: { id: token.uid } };
          throw err;
        }
        if (!user || user.status !== "ACTIVE" || signedInBefore(token.authAt, user.passwordChangedAt)) return { expires: session.expires };
        return {
          expires: session.expires,
          user: { id: user.id, name: user.name, role: user.role, emailVerified: user.emailVerifiedAt !== null },
        };
      },
    },
  };
  return cached;
}
