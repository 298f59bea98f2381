import { defineConfig } from "vitest/config";
import "./tests/setup/node20-compat";

/**
 * Two projects, run separately by scripts/test.mjs:
 *   npx vitest run --project unit
 *   npx vitest run --project integration   (DATABASE_URL = a fresh PostgreSQL database,
 *                                            or unset: each file gets an in-memory PGlite)
 * The `@/` alias comes from tsconfig.json (`resolve.tsconfigPaths`, built into Vite 8).
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["tests/setup/fail-on-console-error.ts", "tests/setup/fast-check.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // One process per file: with PGlite each file has its own in-memory database;
          // with PostgreSQL all files share the run's database and own their rows.
          pool: "forks",
          isolate: true,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          setupFiles: ["tests/setup/integration-env.ts", "tests/setup/fail-on-console-error.ts"],
        },
      },
    ],
  },
});
