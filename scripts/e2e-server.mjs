// The server the end-to-end tests run against (started by playwright.config.ts):
// `next start` on the build made by scripts/test.mjs, on a fresh database: E2E_DATABASE_URL
// (a PostgreSQL server) or, without it, an embedded PGlite in E2E_PGLITE_DIR.
import { bin, serve } from "./lib.mjs";

const port = process.env.E2E_PORT ?? "3100";
const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "e2e-secret-not-for-production-0123456789",
  NEXTAUTH_URL: `http://localhost:${port}`,
  // The suite signs up many accounts from one address; limits are tested in tests/integration.
  RATE_LIMIT_MULTIPLIER: process.env.RATE_LIMIT_MULTIPLIER ?? "100",
};
delete env.DATABASE_URL;
if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
else env.PGLITE_DIR = process.env.E2E_PGLITE_DIR ?? ".data/e2e-pglite";

serve(bin("next"), ["start", "-p", port], { env });
