// npm start — builds the app and serves it at http://localhost:${PORT:-3000}.
// Without DATABASE_URL it runs on the embedded PostgreSQL (PGlite) in .data/, migrated,
// loaded with content/ and seeded with the demo accounts (README). With DATABASE_URL it
// uses that server and NEXTAUTH_SECRET must be set.
import { bin, demoSecret, run, serve } from "./lib.mjs";

const env = { ...process.env };
if (env.DATABASE_URL === "") delete env.DATABASE_URL;
const port = env.PORT ?? "3000";
const embedded = !env.DATABASE_URL;

if (embedded && !env.NEXTAUTH_SECRET) {
  env.NEXTAUTH_SECRET = demoSecret();
  console.log("[start] embedded demo: using a generated NEXTAUTH_SECRET kept in .data/nextauth-secret");
}
env.NEXTAUTH_URL ??= `http://localhost:${port}`;

try {
  await run(bin("next"), ["build"], { env: { ...env, NODE_ENV: "production" } });
  if (embedded) {
    // Migrate, load content and create the demo accounts before the server opens the
    // database (only one process may open PGlite's directory at a time).
    const { NODE_ENV: _ignored, ...seedEnv } = env;
    await run(bin("tsx"), ["scripts/db-seed.mts"], { env: seedEnv });
  }
} catch (err) {
  console.error(`[start] ${err.message}`);
  process.exit(1);
}
console.log(`[start] serving on http://localhost:${port}`);
// scripts/server.mjs: `next start` plus the socket address for rate limits (docs/decisions/0020).
serve(process.execPath, ["scripts/server.mjs", "-p", port], { env: { ...env, NODE_ENV: "production" } });
