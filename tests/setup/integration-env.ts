import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { closeDb } from "@/lib/db/client";
import { whenMailWorkerIdle } from "@/lib/mail/send-pending";

/**
 * Integration tests talk to a real database:
 * - DATABASE_URL set: that PostgreSQL database (fresh for the run, shared by all files);
 * - otherwise an in-memory PGlite per test file (each file runs in its own process).
 * Never the developer's on-disk embedded database: PGLITE_DIR is forced to memory://.
 * Mail (sign-ups queue a confirmation email) goes to a temporary outbox directory unless a
 * test points SMTP_URL at its own SMTP server, never to one named by the shell.
 */
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";
delete process.env.SMTP_URL;
process.env.MAIL_OUTBOX_DIR = mkdtempSync(path.join(tmpdir(), "it-outbox-"));

afterAll(async () => {
  // The outbox worker may still be sending what the file's last test queued.
  await whenMailWorkerIdle();
  await closeDb();
});
