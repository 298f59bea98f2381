/**
 * Runs once when the server starts: checks the environment (the app refuses to start on a
 * bad value, e.g. no NEXTAUTH_SECRET in production), migrates and loads content/.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  try {
    env();
  } catch (err) {
    console.error(`[startup] ${(err as Error).message}\nRefusing to start.`);
    process.exit(1);
  }
  const { getDb, databaseKind } = await import("@/lib/db/client");
  await getDb();
  console.log(`[startup] database ready (${databaseKind()}), articles loaded`);
}
