import { clientIp } from "@/lib/http/client-ip";
import { unstorableReason } from "@/lib/http/parse";
import { LIMITS } from "@/lib/rate-limit/limits";
import { hit, peek } from "@/lib/rate-limit/consume";

/**
 * Sign-in throttling. Every attempt counts against the IP; failures count against the
 * (account, IP) pair, which is locked for 15 minutes after 5 failures.
 * Failures against the account from anywhere (a distributed guess) never lock it: past 20
 * in 15 minutes every attempt on it is slowed by SLOWDOWN_MS, so the owner can still sign in.
 */
export const SLOWDOWN_MS = 2000;

export type SignInCheck = { ok: true; delayMs?: number } | { ok: false; retryAfterSeconds: number };

/**
 * The account part of the keys: the email as sign-in normalises it, or null when it cannot be
 * anyone's (longer than an email, or text PostgreSQL cannot store): such an attempt fails in
 * authorize() and counts against the IP only.
 */
function accountKey(email: string): string | null {
  const acct = email.trim().toLowerCase();
  return acct.length <= 254 && unstorableReason(acct) === null ? acct : null;
}

export async function checkSignIn(headers: Headers, email: string): Promise<SignInCheck> {
  const ip = clientIp(headers);
  const acct = accountKey(email);
  const perIp = await hit(`signin:ip:${ip}`, LIMITS.signInPerIp);
  if (!perIp.ok) return { ok: false, retryAfterSeconds: perIp.retryAfterSeconds };
  if (acct === null) return { ok: true };
  const pair = await peek(`signin-fail:acct-ip:${acct}|${ip}`, LIMITS.signInFailuresPerAccountIp);
  if (!pair.ok) return { ok: false, retryAfterSeconds: pair.retryAfterSeconds };
  const account = await peek(`signin-fail:acct:${acct}`, LIMITS.signInFailuresPerAccount);
  return account.ok ? { ok: true } : { ok: true, delayMs: SLOWDOWN_MS };
}

export async function recordSignInFailure(headers: Headers, email: string): Promise<void> {
  const ip = clientIp(headers);
  const acct = accountKey(email);
  if (acct === null) return;
  await hit(`signin-fail:acct-ip:${acct}|${ip}`, LIMITS.signInFailuresPerAccountIp);
  await hit(`signin-fail:acct:${acct}`, LIMITS.signInFailuresPerAccount);
}
