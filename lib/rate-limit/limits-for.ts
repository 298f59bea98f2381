import type { CurrentUser } from "@/lib/auth/session";
import { LIMITS, NEW_ACCOUNT_MS } from "@/lib/moderation/config";
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
