// npm test — every test: type check, unit, integration (real PostgreSQL when DATABASE_URL or
// TEST_DATABASE_URL names a server, else the embedded PGlite) and end-to-end in Chromium.
// Each run gets fresh databases, dropped at the end. `--only unit|integration|e2e` runs one part;
// `--only e2e -- <playwright args>` runs chosen specs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { findChromium, INSTALL_HINT } from "./browser.mjs";
import { bin, run } from "./lib.mjs";

const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
const want = (part) => !only || only === part;
// `node scripts/test.mjs --only e2e -- tests/e2e/x.spec.ts`: what follows `--` goes to Playwright (specs, --grep).
const extra = process.argv.includes("--") ? process.argv.slice(process.argv.indexOf("--") + 1) : [];
const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
const reportDir = mkdtempSync(path.join(os.tmpdir(), "annotated-test-"));
const created = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
const base = { ...process.env, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "test-secret-not-for-production-0123456789" };
delete base.DATABASE_URL;

async function admin(fn) {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function freshDatabase(prefix) {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const s = JSON.parse(readFileSync(file, "utf8")).stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
}

async function vitest(project, env) {
  const out = path.join(reportDir, `${project}.json`);
  try {
    await run(bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], { env });
  } finally {
    countVitest(out);
  }
}

let failed = false;
try {
  if (!only) {
    console.log("\n== type check");
    await run(bin("tsc"), ["--noEmit"], { env: base });
  }
  if (want("unit")) {
    console.log("\n== unit tests");
    await vitest("unit", base);
  }
  if (want("integration")) {
    const env = { ...base };
    if (serverUrl) {
      env.DATABASE_URL = await freshDatabase("it");
      console.log(`\n== integration tests on PostgreSQL (${new URL(env.DATABASE_URL).pathname.slice(1)})`);
    } else {
      env.PGLITE_DIR = "memory://";
      console.log("\n== integration tests on the embedded PostgreSQL (PGlite, in memory); set DATABASE_URL to use a server");
    }
    await vitest("integration", env);
  }
  if (want("e2e")) {
    console.log("\n== end-to-end tests (Chromium)");
    const chromium = await findChromium();
    if (!chromium) throw new Error(INSTALL_HINT);
    await run(bin("next"), ["build"], { env: { ...base, NODE_ENV: "production" } });
    const env = { ...base, CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reportDir, "e2e.json") };
    if (serverUrl) env.E2E_DATABASE_URL = await freshDatabase("e2e");
    else env.E2E_PGLITE_DIR = path.join(reportDir, "pglite");
    try {
      await run(bin("playwright"), ["test", "--reporter=list,json", ...extra], { env });
    } finally {
      countPlaywright(env.PLAYWRIGHT_JSON_OUTPUT_NAME);
    }
  }
} catch (err) {
  failed = true;
  console.error(`\n[test] ${err.message}`);
} finally {
  for (const name of created) {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch((e) =>
      console.error(`[test] could not drop ${name}: ${e.message}`),
    );
  }
  rmSync(reportDir, { recursive: true, force: true });
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
