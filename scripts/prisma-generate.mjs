// postinstall: generate the Prisma client without downloading native engines.
// `prisma generate` only needs a schema engine path to exist in its config; the
// client itself runs through a driver adapter (see docs/decisions/0002-migrations.md).
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false" };
const res = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(res.status ?? 1);
