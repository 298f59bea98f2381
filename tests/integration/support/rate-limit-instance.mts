// A second app instance for tests/integration/rate-limits.test.ts: a separate Node process with
// its own Prisma client and connection pool to the same DATABASE_URL, counting hits with the
// app's real hit() (lib/rate-limit/consume.ts).
//
//   tsx rate-limit-instance.mts <key> <limit name> <now, ISO> <n>
//
// Prints "ready" once connected, waits for one line on stdin (the parent's "go", so that both
// instances start together), runs n hits at once, prints their results as one JSON line, exits.
import { createInterface } from "node:readline";
import { closeDb, getDb } from "@/lib/db/client";
import { LIMITS, type LimitName } from "@/lib/rate-limit/limits";
import { hit } from "@/lib/rate-limit/consume";

const [key, limitName, nowIso, n] = process.argv.slice(2);
if (!key || !limitName || !nowIso || !n || !(limitName in LIMITS)) {
  console.error("usage: rate-limit-instance.mts <key> <limit name> <now ISO> <n>");
  process.exit(2);
}
try {
  await getDb();
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.once("line", () => resolve()));
  process.stdout.write("ready\n");
  await go;
  lines.close();
  const limit = LIMITS[limitName as LimitName];
  const results = await Promise.all(Array.from({ length: Number(n) }, () => hit(key, limit, new Date(nowIso))));
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  await closeDb();
}
