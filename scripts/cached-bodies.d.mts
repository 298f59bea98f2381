// Types for scripts/cached-bodies.mjs (plain JavaScript, run by Node without a compiler).
import type { IncomingMessage, ServerResponse } from "node:http";

export declare const MIN_CACHED_LENGTH: number;

export interface BodyCache {
  get(body: string, encoding: "identity" | "gzip" | "br"): Buffer;
  readonly size: number;
  readonly bytes: number;
}

export declare function createBodyCache(opts?: { maxEntries?: number; maxBytes?: number }): BodyCache;
export declare function serveCachedBodies(cache: BodyCache, req: IncomingMessage, res: ServerResponse): void;
