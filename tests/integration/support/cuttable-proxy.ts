import net from "node:net";

/**
 * A TCP proxy in front of the test's PostgreSQL server that can be cut like a restart: `down()`
 * closes every connection and refuses new ones (ECONNREFUSED, as while the server is stopped),
 * `silent()` closes every connection and accepts new ones without ever answering (a network
 * that drops packets), `up()` forwards again on the same port.
 */
export interface CuttableProxy {
  /** The target URL with host and port replaced by the proxy's. */
  url: string;
  down(): Promise<void>;
  silent(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function cuttableProxy(targetUrl: string): Promise<CuttableProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<net.Socket>();
  let mode: "forward" | "silent" = "forward";
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === "silent") return; // accepted, never answered
    const upstream = net.connect(targetPort, target.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const cutAll = () => {
    for (const s of sockets) s.destroy();
  };
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    async down() {
      mode = "forward";
      cutAll();
      await stopListening();
    },
    async silent() {
      mode = "silent";
      cutAll();
      if (!server.listening) await listen(port);
    },
    async up() {
      if (mode === "silent") cutAll();
      mode = "forward";
      if (!server.listening) await listen(port);
    },
    async close() {
      cutAll();
      await stopListening();
    },
  };
}
