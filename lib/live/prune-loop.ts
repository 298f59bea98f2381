import { getDb } from "@/lib/db/client";
import { pruneEvents } from "./events";

const HOUR_MS = 60 * 60_000;

/** Deletes live events older than a day, hourly, in every instance (an idempotent delete). */
export function startEventPruning(): void {
  const g = globalThis as typeof globalThis & { __eventPruning?: ReturnType<typeof setInterval> };
  if (g.__eventPruning) return;
  const run = async () => {
    try {
      const n = await pruneEvents(await getDb());
      if (n) console.log(`[live] pruned ${n} events older than a day`);
    } catch (err) {
      console.warn(`[live] pruning failed: ${(err as Error).message}`);
    }
  };
  g.__eventPruning = setInterval(() => void run(), HOUR_MS);
  g.__eventPruning.unref();
  void run();
}
