import { clientIp } from "@/lib/http/client-ip";
import { LIMITS } from "@/lib/moderation/config";
import { hit, peek } from "@/lib/rate-limit/consume";

/**
 * Sign-in throttling. Every attempt counts against the IP; failures count against the
 * (account, IP) pair and, more loosely, the account. Lock-outs are per pair and last
 * minutes, so an attacker elsewhere cannot keep the owner out for long.
 */
export async function checkSignIn(headers: Headers, email: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const ip = clientIp(headers);
  const acct = email.trim().toLowerCase();
  const perIp = await hit(`signin:ip:${ip}`, LIMITS.signInPerIp);
  if (!perIp.ok) return { ok: false, retryAfterSeconds: perIp.retryAfterSeconds };
  for (const [key, limit] of [
    [`signin-fail:acct-ip:${acct}|${ip}`, LIMITS.signInFailuresPerAccountIp],
    [`signin-fail:acct:${acct}`, LIMITS.signInFailuresPerAccount],
  ] as const) {
    const r = await peek(key, limit);
    if (!r.ok) return { ok: false, retryAfterSeconds: r.retryAfterSeconds };
  }
  return { ok: true };
}

export async function recordSignInFailure(headers: Headers, email: string): Promise<void> {
  const ip = clientIp(headers);
  const acct = email.trim().toLowerCase();
  await hit(`signin-fail:acct-ip:${acct}|${ip}`, LIMITS.signInFailuresPerAccountIp);
  await hit(`signin-fail:acct:${acct}`, LIMITS.signInFailuresPerAccount);
}
