// The production server: Next's request handler behind a plain Node HTTP server, so that the
// app learns the TCP peer's address (docs/decisions/0020-client-address.md). `next start` does
// not tell route handlers who is connected: it fills X-Forwarded-For from the socket only when
// the client did not send one, so a forged header would be believed.
//
// Every request gets `x-peer-address: <socket address>`, replacing any copy the client sent;
// lib/http/client-ip.ts reads it (and X-Forwarded-For only behind TRUSTED_PROXY_HOPS proxies).
//
// It also compresses responses (next.config.js sets `compress: false` so Next does not do it a
// second time): long string bodies — cached pages — are encoded and compressed once and the bytes
// reused (scripts/cached-bodies.mjs, docs/decisions/0051-cached-response-bodies.md); everything
// else goes through the `compression` middleware, as Next's own would.
//
//   node scripts/server.mjs [-H host] [-p port]      (PORT, default 3000; host default: all)
import { createServer } from "node:http";
import compression from "compression";
import next from "next";
import { createBodyCache, serveCachedBodies } from "./cached-bodies.mjs";
import { root } from "./lib.mjs";

const PEER_ADDRESS_HEADER = "x-peer-address";

function option(flag, fallback) {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const port = Number(option("-p", process.env.PORT ?? "3000"));
const hostname = option("-H", undefined);
process.env.NODE_ENV = "production";
// Where this process reaches itself over loopback (lib/cache/self-request.ts drops its own cached pages).
const selfHost = !hostname || hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
process.env.SELF_ORIGIN = `http://${selfHost.includes(":") ? `[${selfHost}]` : selfHost}:${port}`;

const app = next({ dev: false, dir: root, hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const compress = compression();
const bodies = createBodyCache();

const server = createServer((req, res) => {
  // A client that goes away mid-request (a refused upload, a closed tab) is not a server error.
  req.on("error", () => {});
  // Node lower-cases header names; a repeated header is one array entry here, removed whole.
  delete req.headers[PEER_ADDRESS_HEADER];
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
  compress(req, res, () => {});
  serveCachedBodies(bodies, req, res);
  handle(req, res).catch((err) => {
    console.error(`[server] failed to handle ${req.method} ${req.url}`, err);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.listen(port, hostname, () => {
  console.log(`[server] ready on http://${hostname ?? "localhost"}:${port}`);
});
