/**
 * The caller's IP for rate limits. `next start` appends the socket's address to
 * X-Forwarded-For; behind N trusted proxies (TRUSTED_PROXY_HOPS=N) the client is N entries
 * from the end. Entries before that are client-supplied and never trusted.
 */
export function clientIp(headers: Headers): string {
  const hops = Math.max(0, Number.parseInt(process.env.TRUSTED_PROXY_HOPS ?? "0", 10) || 0);
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return chain[chain.length - 1 - hops] ?? headers.get("x-real-ip") ?? "unknown";
}
