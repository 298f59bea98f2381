import { env } from "@/lib/env";

/**
 * Every rate limit in one place: sign-up, sign-in, posting, reporting. Counters live in
 * PostgreSQL (./consume.ts), so a limit holds across any number of app instances.
 */
export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/** Accounts younger than this are "new" and get the stricter limits. */
export const NEW_ACCOUNT_MS = 24 * 60 * 60 * 1000;

const BASE_LIMITS = {
  signUpPerIp: { max: 5, windowSeconds: 60 * 60 },
  signInPerIp: { max: 30, windowSeconds: 15 * 60 },
  /** Failed sign-ins per (account, IP): an attacker elsewhere cannot lock the owner out. */
  signInFailuresPerAccountIp: { max: 5, windowSeconds: 15 * 60 },
  /** Failed sign-ins per account from anywhere: slows a distributed guess, for minutes only. */
  signInFailuresPerAccount: { max: 20, windowSeconds: 15 * 60 },
  postNewAccount: { max: 1, windowSeconds: 30 },
  post: { max: 1, windowSeconds: 5 },
  postPerIp: { max: 30, windowSeconds: 60 },
  flagsPerDay: { max: 20, windowSeconds: 24 * 60 * 60 },
  flagsPerDayNewAccount: { max: 5, windowSeconds: 24 * 60 * 60 },
  flagsPerIp: { max: 60, windowSeconds: 24 * 60 * 60 },
  /** Password-reset requests per IP, and per address (known or not: the same answer either way). */
  passwordResetPerIp: { max: 10, windowSeconds: 60 * 60 },
  passwordResetPerAddress: { max: 3, windowSeconds: 60 * 60 },
  /** Attempts to use a reset link per IP (guessing a 256-bit token is hopeless; this bounds the work). */
  passwordResetCompletePerIp: { max: 30, windowSeconds: 60 * 60 },
  /** Attempts to use a confirmation link per IP (bounds the work, as for reset links). */
  emailConfirmationPerIp: { max: 30, windowSeconds: 60 * 60 },
  /** "Send the verification email again" per account. */
  verificationResendPerUser: { max: 3, windowSeconds: 60 * 60 },
  /** Ratings (set, changed or withdrawn) per hour. */
  ratingsPerHour: { max: 120, windowSeconds: 60 * 60 },
  ratingsPerHourNewAccount: { max: 30, windowSeconds: 60 * 60 },
  ratingsPerIp: { max: 600, windowSeconds: 60 * 60 },
} satisfies Record<string, Limit>;

export type LimitName = keyof typeof BASE_LIMITS;

/**
 * The limits in force. RATE_LIMIT_MULTIPLIER (default 1) scales every `max`, for load tests
 * and the end-to-end suite, which signs up many accounts from one address; the limits
 * themselves are tested at multiplier 1 in tests/integration.
 */
export const LIMITS = new Proxy(BASE_LIMITS, {
  get(target, name: string) {
    const base = target[name as LimitName];
    if (!base) return undefined;
    return { ...base, max: Math.max(1, Math.round(base.max * env().RATE_LIMIT_MULTIPLIER)) };
  },
}) as typeof BASE_LIMITS;
