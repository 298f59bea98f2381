import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import compression from "compression";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBodyCache, MIN_CACHED_LENGTH, serveCachedBodies } from "../../scripts/cached-bodies.mjs";

// The production server's response path (scripts/server.mjs): the compression middleware, then the
// cached-bodies wrapper, on a real HTTP server. What a client receives must be exactly what it would
// without the cache: the same bytes (after decoding), a correct Content-Length, Vary, no double encoding.

// Multi-byte text (Cyrillic, curly quotes), so UTF-16 length ≠ UTF-8 length.
const page = `<!DOCTYPE html><html><body>${"Путин’s “exiles” — ".repeat(Math.ceil((MIN_CACHED_LENGTH * 2) / 18))}</body></html>`;
const small = "<p>small but above the compression threshold</p>".repeat(40);
const cache = createBodyCache();
let server: Server;
let port = 0;

beforeAll(async () => {
  const compress = compression();
  server = createServer((req, res) => {
    compress(req, res, () => {});
    serveCachedBodies(cache, req, res);
    res.statusCode = 200;
    if (req.url === "/no-transform") res.setHeader("Cache-Control", "no-transform");
    res.setHeader("Content-Type", req.url === "/binary" ? "image/png" : "text/html; charset=utf-8");
    if (req.url === "/small") return void res.end(small);
    if (req.url === "/streamed") {
      res.write(page.slice(0, 100));
      return void res.end(page.slice(100));
    }
    if (req.url === "/callback") return void res.end(page, () => void res.emit("callback-ran"));
    res.end(req.method === "HEAD" ? null : page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

function decode(r: { headers: IncomingHttpHeaders; body: Buffer }): string {
  const enc = r.headers["content-encoding"];
  const bytes = enc === "gzip" ? gunzipSync(r.body) : enc === "br" ? brotliDecompressSync(r.body) : enc === "deflate" ? inflateSync(r.body) : r.body;
  return bytes.toString("utf8");
}

describe("cached response bodies", () => {
  it("sends a long page as its UTF-8 bytes with the right length when the client asks for no encoding", async () => {
    const r = await get("/");
    expect(r.status).toBe(200);
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(Number(r.headers["content-length"])).toBe(Buffer.byteLength(page));
    expect(r.body.toString("utf8")).toBe(page);
  });

  it.each([
    ["gzip", "gzip"],
    ["br", "br"],
    ["gzip, deflate, br", "br"],
    ["gzip;q=1, br;q=0.5", "gzip"],
    ["br;q=0, gzip", "gzip"],
  ])("Accept-Encoding %s gets %s, compressed once, decoding to the same page", async (accept, expected) => {
    const r = await get("/", { "Accept-Encoding": accept });
    expect(r.headers["content-encoding"]).toBe(expected);
    expect(Number(r.headers["content-length"])).toBe(r.body.length);
    expect(r.headers.vary).toMatch(/Accept-Encoding/i);
    expect(decode(r)).toBe(page);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(page) / 4);
  });

  it("keeps one entry for one page however often it is served", async () => {
    for (let i = 0; i < 5; i++) await get("/", { "Accept-Encoding": "gzip" });
    expect(cache.size).toBe(1);
  });

  it("leaves deflate to the compression middleware, still the same page", async () => {
    const r = await get("/", { "Accept-Encoding": "deflate" });
    expect(r.headers["content-encoding"]).toBe("deflate");
    expect(decode(r)).toBe(page);
  });

  it("does not compress what must not be transformed or is not text", async () => {
    const a = await get("/no-transform", { "Accept-Encoding": "gzip" });
    expect(a.headers["content-encoding"]).toBeUndefined();
    expect(a.body.toString("utf8")).toBe(page);
    const b = await get("/binary", { "Accept-Encoding": "gzip" });
    expect(b.headers["content-encoding"]).toBeUndefined();
    expect(b.body.toString("utf8")).toBe(page);
  });

  it("passes short and streamed bodies to the middleware unchanged", async () => {
    const s = await get("/small", { "Accept-Encoding": "gzip" });
    expect(s.headers["content-encoding"]).toBe("gzip");
    expect(decode(s)).toBe(small);
    const t = await get("/streamed", { "Accept-Encoding": "gzip" });
    expect(t.headers["content-encoding"]).toBe("gzip");
    expect(decode(t)).toBe(page);
    const u = await get("/streamed");
    expect(u.body.toString("utf8")).toBe(page);
  });

  it("answers HEAD with the headers and no body", async () => {
    const r = await get("/", { "Accept-Encoding": "gzip" }, "HEAD");
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
  });

  it("still calls end's callback", async () => {
    const ran = new Promise<void>((resolve) => server.once("request", (_req, res) => res.once("callback-ran", resolve)));
    await get("/callback", { "Accept-Encoding": "gzip" });
    await ran;
  });

  it("bounds the cache by entries and bytes, evicting the least recently used", () => {
    const c = createBodyCache({ maxEntries: 2, maxBytes: 10 * MIN_CACHED_LENGTH });
    const a = "a".repeat(MIN_CACHED_LENGTH);
    const b = "b".repeat(MIN_CACHED_LENGTH);
    const d = "d".repeat(MIN_CACHED_LENGTH);
    c.get(a, "identity");
    c.get(b, "identity");
    c.get(a, "identity"); // a is now the most recent
    c.get(d, "identity");
    expect(c.size).toBe(2);
    expect(c.bytes).toBe(2 * MIN_CACHED_LENGTH);
    const big = createBodyCache({ maxEntries: 10, maxBytes: 3 * MIN_CACHED_LENGTH });
    for (const s of [a, b, d, "e".repeat(MIN_CACHED_LENGTH)]) big.get(s, "identity");
    expect(big.size).toBe(3);
    expect(big.bytes).toBeLessThanOrEqual(3 * MIN_CACHED_LENGTH);
  });
});
