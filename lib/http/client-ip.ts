import { env } from "@/lib/env";

/**
 * The header scripts/server.mjs sets on every request to the TCP peer's address (any copy the
 * client sent is removed first). Route handlers have no socket; this is how they learn it.
 */
export const PEER_ADDRESS_HEADER = "x-peer-address";

/**
 * The caller's address for rate limits and the sign-in lockout (docs/decisions/0020-client-address.md).
 * - TRUSTED_PROXY_HOPS=0: the socket's address. X-Forwarded-For is ignored: anyone can send it.
 * - TRUSTED_PROXY_HOPS=N: the N-th X-Forwarded-For entry from the end, the one the outermost of
 *   our N proxies appended; entries before it were sent by the client and are never trusted.
 *   A chain shorter than N did not come through our proxies: the socket's address counts.
 * Without the peer header (a server not started through scripts/server.mjs) every caller is
 * "unknown": one shared bucket, so limits get stricter, never looser.
 */
export function clientIp(headers: Headers, hops: number = env().TRUSTED_PROXY_HOPS): string {
  const peer = headers.get(PEER_ADDRESS_HEADER)?.trim() || "unknown";
  if (hops === 0) return peer;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return chain.length >= hops ? chain[chain.length - hops]! : peer;
}
