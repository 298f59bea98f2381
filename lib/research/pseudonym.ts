import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Pseudonyms: HMAC-SHA256(study key, user id), the first 128 bits as 32 hex characters.
 * The key is per study and never leaves the server: the same study always gives a person the
 * same pseudonym; without the key nobody can link it to the person, and two studies' pseudonyms
 * cannot be linked to each other. See docs/decisions/0009-pseudonyms.md.
 */

export const PSEUDONYM_METHOD = "HMAC-SHA256(study key, user id as lowercase UUID text), first 128 bits, lowercase hex";

export function newStudyKey(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(32));
}

/** What a manifest shows instead of the key: `sha256:` + the key's sha256, hex. */
export function keyFingerprint(key: Uint8Array): string {
  return `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

export function pseudonymOf(key: Uint8Array, userId: string): string {
  return createHmac("sha256", key).update(userId.toLowerCase()).digest("hex").slice(0, 32);
}

/** A memoising pseudonymiser for one export (bounded: it forgets everything past 100,000 people). */
export function pseudonymizer(key: Uint8Array): (userId: string | null) => string | null {
  const cache = new Map<string, string>();
  return (userId) => {
    if (userId === null) return null;
    let p = cache.get(userId);
    if (p === undefined) {
      if (cache.size >= 100_000) cache.clear();
      p = pseudonymOf(key, userId);
      cache.set(userId, p);
    }
    return p;
  };
}
