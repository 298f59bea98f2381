import type { CurrentUser } from "@/lib/auth/session";
import { LIMITS, NEW_ACCOUNT_MS } from "./limits";
import { enforce } from "./consume";

const isNew = (user: CurrentUser) => !user.createdAt || Date.now() - user.createdAt.getTime() < NEW_ACCOUNT_MS;

/** Posting: one per 30 s for accounts younger than a day, one per 5 s after; and per IP. */
export function limitPosting(user: CurrentUser, ip: string): Promise<void> {
  return enforce("posts", [
    [`post:user:${user.id}`, isNew(user) ? LIMITS.postNewAccount : LIMITS.post],
    [`post:ip:${ip}`, LIMITS.postPerIp],
  ]);
}

/** Flagging: 20 a day (5 for new accounts), and per IP. */
export function limitFlagging(user: CurrentUser, ip: string): Promise<void> {
  return enforce("reports", [
    [`flag:user:${user.id}`, isNew(user) ? LIMITS.flagsPerDayNewAccount : LIMITS.flagsPerDay],
    [`flag:ip:${ip}`, LIMITS.flagsPerIp],
  ]);
}

/** Rating (and changing or withdrawing a rating): 120 an hour (30 for new accounts), and per IP. */
export function limitRating(user: CurrentUser, ip: string): Promise<void> {
  return enforce("ratings", [
    [`rate:user:${user.id}`, isNew(user) ? LIMITS.ratingsPerHourNewAccount : LIMITS.ratingsPerHour],
    [`rate:ip:${ip}`, LIMITS.ratingsPerIp],
  ]);
}

export function limitSignUp(ip: string): Promise<void> {
  return enforce("sign-ups from this address", [[`signup:ip:${ip}`, LIMITS.signUpPerIp]]);
}

/** Password-reset requests: per IP and per address, whether or not an account has that address. */
export function limitPasswordReset(ip: string, email: string): Promise<void> {
  return enforce("password-reset requests", [
    [`pwreset:ip:${ip}`, LIMITS.passwordResetPerIp],
    [`pwreset:addr:${email}`, LIMITS.passwordResetPerAddress],
  ]);
}

export function limitPasswordResetComplete(ip: string): Promise<void> {
  return enforce("password-reset attempts", [[`pwreset-complete:ip:${ip}`, LIMITS.passwordResetCompletePerIp]]);
}

export function limitEmailConfirmation(ip: string): Promise<void> {
  return enforce("email confirmations", [[`verify-confirm:ip:${ip}`, LIMITS.emailConfirmationPerIp]]);
}

export function limitVerificationResend(user: CurrentUser): Promise<void> {
  return enforce("verification emails", [[`verify-resend:user:${user.id}`, LIMITS.verificationResendPerUser]]);
}
