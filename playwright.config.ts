import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// scripts/e2e-server.mjs listens on E2E_PORT (default 3100).
const port = Number(process.env.E2E_PORT ?? 3100);
// The test mail server scripts/e2e-server.mjs runs (the app's SMTP_URL points at it) and where it
// writes what it receives; set here once, so the server and the specs (tests/e2e/mail.ts) agree.
process.env.E2E_SMTP_PORT ??= "2525";
process.env.E2E_MAIL_DIR ??= path.resolve(".data/e2e-mail");
const baseURL = `http://localhost:${port}`;
// The browser: CHROMIUM_PATH (scripts/test.mjs sets it), else Debian's, else Playwright's own.
const chromium = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/**
 * End-to-end tests in a real Chromium against `next start` on a fresh database.
 * Run through `npm run test:e2e` (scripts/test.mjs builds first and picks the browser and the
 * database), or by hand after `npx next build`:
 *   E2E_PGLITE_DIR=$(mktemp -d) npx playwright test          (embedded database)
 *   E2E_DATABASE_URL=postgresql://…/fresh_db npx playwright test  (a PostgreSQL server)
 *
 * One worker: the embedded database serves one connection at a time, and every test creates
 * its own users and writes to its own paragraph (tests/e2e/fixtures.ts), so order never matters.
 * No retries: a test that needs a retry to pass is a failing test.
 */
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    timezoneId: "UTC",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: chromium,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    // SIGTERM, not Playwright's default SIGKILL: scripts/e2e-server.mjs runs `next start` in its
    // own process group and forwards SIGTERM to it. A SIGKILL would leave that server running
    // (holding the port and the embedded database open) after the tests end.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    // The server's errors (a 500's log line, a refused start) show in the test output.
    stdout: "ignore",
    stderr: "pipe",
  },
});
