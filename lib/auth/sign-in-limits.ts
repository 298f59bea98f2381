import { clientIp } from "@/lib/http/client-ip";
import { LIMITS } from "@/lib/rate-limit/limits";
import { hit, peek } from "@/lib/rate-limit/consume";

/**
 * Sign-in throttling. Every attempt counts against the IP; failures count against the
 * (account, IP) pair, which is locked for the rest of a 15-minute window after 5 failures.
 * Failures against the account from anywhere (a distributed guess) never lock it: past 20
 * in the window every attempt on it is slowed by SLOWDOWN_MS, so the owner can still sign in.
 */
export const SLOWDOWN_MS = 2000;

export type SignInCheck = { ok: true; delayMs?: number } | { ok: false; retryAfterSeconds: number };

export async function checkSignIn(headers: Headers, email: string): Promise<SignInCheck> {
  const ip = clientIp(headers);
  const acct = email.trim().toLowerCase();
  const perIp = await hit(`signin:ip:${ip}`, LIMITS.signInPerIp);
  if (!perIp.ok) return { ok: false, retryAfterSeconds: perIp.retryAfterSeconds };
  const pair = await peek(`signin-fail:acct-ip:${acct}|${ip}`, LIMITS.signInFailuresPerAccountIp);
  if (!pair.ok) return { ok: false, retryAfterSeconds: pair.retryAfterSeconds };
  const account = await peek(`signin-fail:acct:${acct}`, LIMITS.signInFailuresPerAccount);
  return account.ok ? { ok: true } : { ok: true, delayMs: SLOWDOWN_MS };
}

export async function recordSignInFailure(headers: Headers, email: string): Promise<void> {
  const ip = clientIp(headers);
  const acct = email.trim().toLowerCase();
  await hit(`signin-fail:acct-ip:${acct}|${ip}`, LIMITS.signInFailuresPerAccountIp);
  await hit(`signin-fail:acct:${acct}`, LIMITS.signInFailuresPerAccount);
}
