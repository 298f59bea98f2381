// The server the end-to-end tests run against (started by playwright.config.ts):
// scripts/server.mjs (`next start` plus the socket address) on the build made by scripts/test.mjs, on a fresh database: E2E_DATABASE_URL
// (a PostgreSQL server) or, without it, an embedded PGlite in E2E_PGLITE_DIR.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { bin, run, serve } from "./lib.mjs";

const port = process.env.E2E_PORT ?? "3100";
const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "e2e-secret-not-for-production-0123456789",
  NEXTAUTH_URL: `http://localhost:${port}`,
  // The suite signs up many accounts from one address; limits are tested in tests/integration.
  RATE_LIMIT_MULTIPLIER: process.env.RATE_LIMIT_MULTIPLIER ?? "100",
  EXPORT_DIR: process.env.E2E_EXPORT_DIR ?? ".data/e2e-exports",
  // The app sends its mail over SMTP to the test mail server below (playwright.config.ts sets the port).
  SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT ?? "2525"}`,
  MAIL_FROM: "Marginalia <no-reply@example.test>",
  // The suite starts its scoring runs itself (tests/e2e/ranking.spec.ts), so that the order it
  // sees before a run is not changed by a scheduled one; the schedule is tested in tests/integration.
  RANKING_INTERVAL_MINUTES: process.env.RANKING_INTERVAL_MINUTES ?? "100000",
  RANKING_MIN_NEW_RATINGS: process.env.RANKING_MIN_NEW_RATINGS ?? "1000000",
};
// The articles the suite reads: content/articles as shipped, plus one copy of the op-ed per name in
// tests/e2e/articles.json under the slug `e2e-<name>` (title prefixed "E2E copy (<name>)"), for
// specs that must own a whole article (publishing a revision, counting every contribution).
const contentDir = path.resolve(process.env.E2E_CONTENT_DIR ?? ".data/e2e-content");
rmSync(contentDir, { recursive: true, force: true });
mkdirSync(contentDir, { recursive: true });
const shipped = path.resolve("content/articles");
const [original] = readdirSync(shipped).filter((f) => f.endsWith(".md")).sort();
for (const f of readdirSync(shipped).filter((f) => f.endsWith(".md"))) {
  writeFileSync(path.join(contentDir, f), readFileSync(path.join(shipped, f)));
}
const originalText = readFileSync(path.join(shipped, original), "utf8");
for (const name of JSON.parse(readFileSync("tests/e2e/articles.json", "utf8"))) {
  const copy = originalText.replace(/^title: "(.*)"$/m, (_m, t) => `title: "E2E copy (${name}): ${t}"`);
  writeFileSync(path.join(contentDir, `e2e-${name}.md`), copy);
}
env.CONTENT_DIR = contentDir;
delete env.DATABASE_URL;
if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
else env.PGLITE_DIR = process.env.E2E_PGLITE_DIR ?? ".data/e2e-pglite";

// The suite's staff accounts (tests sign up their readers themselves). Created before the
// server starts: the embedded database can only be open in one process at a time.
const E2E_STAFF = [
  { email: "e2e-admin@example.test", name: "E2E Admin", role: "ADMIN" },
  { email: "e2e-moderator@example.test", name: "E2E Moderator", role: "MODERATOR" },
];
const staffEnv = { ...env, NODE_ENV: "test", NEW_USER_PASSWORD: process.env.E2E_STAFF_PASSWORD ?? "e2e-staff-password" };
for (const u of E2E_STAFF) {
  await run(bin("tsx"), ["scripts/create-user.mts", "--email", u.email, "--name", u.name, "--role", u.role], { env: staffEnv });
}

// The test mail server: a real SMTP server (smtp-server) on 127.0.0.1 that writes every message it
// accepts, as received, to E2E_MAIL_DIR/<n>.eml; tests/e2e/mail.ts reads them back with mailparser.
const mailDir = path.resolve(process.env.E2E_MAIL_DIR ?? ".data/e2e-mail");
rmSync(mailDir, { recursive: true, force: true });
mkdirSync(mailDir, { recursive: true });
let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, _session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      const n = String(++received).padStart(6, "0");
      // Written to a temporary name and renamed, so a reader never sees half a message.
      writeFileSync(path.join(mailDir, `.${n}.tmp`), Buffer.concat(chunks));
      renameSync(path.join(mailDir, `.${n}.tmp`), path.join(mailDir, `${n}.eml`));
      callback();
    });
  },
});
await new Promise((resolve, reject) => {
  smtp.once("error", reject);
  smtp.listen(Number(process.env.E2E_SMTP_PORT ?? "2525"), "127.0.0.1", resolve);
});

// Same process group as this script, so Playwright stopping it stops Next too.
serve(process.execPath, ["scripts/server.mjs", "-p", port], { env, detached: false });
