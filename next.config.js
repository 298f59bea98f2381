/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or WebAssembly packages that must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  // scripts/server.mjs compresses (once per cached page; docs/decisions/0051-cached-response-bodies.md).
  compress: false,
  // Type errors are caught by `npm run typecheck` (part of `npm test`), not by every build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
