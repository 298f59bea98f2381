// Cached response bodies for the production server (scripts/server.mjs; docs/decisions/0051).
//
// Next answers a cached (ISR) page with `res.end(html)`: the same JavaScript string on every hit.
// Node then encodes that string to UTF-8 for every request, and the compression middleware gzips
// it again for every reader whose browser accepts gzip — for the article page (~300 KB of HTML)
// that was most of a request's CPU. Here a long string body is encoded (and compressed) once per
// distinct string and the bytes are reused: the same bytes, headers and status as before, less work.
//
// Only `end(string)` with nothing written before is touched (a cached page, a cached RSC payload);
// streamed responses (dynamic pages, route handlers, live events) pass through untouched.
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import Negotiator from "negotiator";

/** Bodies shorter than this (in UTF-16 code units) are sent as they are: encoding them is cheap. */
export const MIN_CACHED_LENGTH = 16 * 1024;
const COMPRESSIBLE = /^\s*(?:text\/|application\/(?:json|javascript|xml)|[^;]*\+(?:json|xml|text))/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/**
 * A small LRU of string → encoded bodies. The key is the string itself: V8 caches a string's hash
 * in the string, and the same cached page is the same string object on every hit, so a lookup is
 * O(1) after the first. Bounded by entries and bytes so a burst of distinct pages cannot grow it.
 */
export function createBodyCache({ maxEntries = 64, maxBytes = 64 * 1024 * 1024 } = {}) {
  /** @type {Map<string, { utf8: Buffer, gzip?: Buffer, br?: Buffer }>} */
  const entries = new Map();
  let bytes = 0;
  const size = (e) => e.utf8.length + (e.gzip?.length ?? 0) + (e.br?.length ?? 0);
  const evict = () => {
    for (const [key, e] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      entries.delete(key);
      bytes -= size(e);
    }
  };
  return {
    /** The body's bytes in `encoding` ("identity", "gzip" or "br"), computed at most once. */
    get(body, encoding) {
      let e = entries.get(body);
      if (e) {
        // Most recently used goes last.
        entries.delete(body);
        entries.set(body, e);
      } else {
        e = { utf8: Buffer.from(body, "utf8") };
        entries.set(body, e);
        bytes += e.utf8.length;
      }
      if (encoding === "gzip" && !e.gzip) {
        e.gzip = gzipSync(e.utf8, { level: 6 });
        bytes += e.gzip.length;
      } else if (encoding === "br" && !e.br) {
        e.br = brotliCompressSync(e.utf8, {
          params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: e.utf8.length },
        });
        bytes += e.br.length;
      }
      const out = encoding === "gzip" ? e.gzip : encoding === "br" ? e.br : e.utf8;
      evict();
      return out;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}

function appendVary(res, field) {
  const current = res.getHeader("Vary");
  const list = (Array.isArray(current) ? current.join(",") : String(current ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.includes("*") || list.some((v) => v.toLowerCase() === field.toLowerCase())) return;
  res.setHeader("Vary", [...list, field].join(", "));
}

/**
 * Wraps `res.end` for one response. Call it after the compression middleware is installed on
 * `res`, so that this wrapper runs first: a body it compressed carries Content-Encoding, which
 * the middleware leaves alone ("already encoded"); any other body goes on to the middleware.
 */
export function serveCachedBodies(cache, req, res) {
  const next = res.end;
  res.end = function (chunk, encoding, callback) {
    // A body written before (streamed) has sent the headers: write() sends them first.
    if (
      typeof chunk !== "string" ||
      chunk.length < MIN_CACHED_LENGTH ||
      this.headersSent ||
      (typeof encoding === "string" && !/^utf-?8$/i.test(encoding))
    ) {
      return next.call(this, chunk, encoding, callback);
    }
    const done = typeof encoding === "function" ? encoding : callback;
    let method = "identity";
    const type = String(this.getHeader("Content-Type") ?? "");
    const cacheControl = String(this.getHeader("Cache-Control") ?? "");
    const alreadyEncoded = this.getHeader("Content-Encoding");
    if (!alreadyEncoded && COMPRESSIBLE.test(type) && !NO_TRANSFORM.test(cacheControl) && req.method !== "HEAD") {
      appendVary(this, "Accept-Encoding");
      const chosen = new Negotiator(req).encoding(["br", "gzip", "deflate", "identity"], ["br", "gzip"]);
      // deflate (rare) is left to the compression middleware, on the UTF-8 bytes.
      if (chosen === "gzip" || chosen === "br") method = chosen;
    }
    const bytes = cache.get(chunk, method);
    if (method !== "identity") this.setHeader("Content-Encoding", method);
    this.setHeader("Content-Length", bytes.length);
    return next.call(this, bytes, done);
  };
}
