import { afterAll } from "vitest";
import { closeDb } from "@/lib/db/client";

/**
 * Integration tests talk to a real database:
 * - DATABASE_URL set: that PostgreSQL database (fresh for the run, shared by all files);
 * - otherwise an in-memory PGlite per test file (each file runs in its own process).
 * Never the developer's on-disk embedded database: PGLITE_DIR is forced to memory://.
 */
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";

afterAll(async () => {
  await closeDb();
});
