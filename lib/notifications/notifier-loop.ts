import { getDb } from "@/lib/db/client";
import { liveBus } from "@/lib/live/bus";
import { notifyReplies } from "./notify-replies";
import { sendDueDigests } from "./send-digests";

/** Without a notification (a lost LISTEN), the notifier still looks this often. */
const FALLBACK_MS = 30_000;

/**
 * Runs the notifier whenever a contribution changes (the live events' NOTIFY) and every 30 s, in
 * every instance; notifyReplies itself makes sure one works at a time and each event counts once.
 */
export function startNotifier(): void {
  const g = globalThis as typeof globalThis & { __notifier?: { running: boolean; again: boolean } };
  if (g.__notifier) return;
  const state: { running: boolean; again: boolean } = { running: false, again: false };
  g.__notifier = state;
  const run = async (): Promise<void> => {
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      const db = await getDb();
      // A long backlog: batch after batch.
      while ((await notifyReplies(db)).events > 0);
    } catch (err) {
      console.warn(`[notifier] ${(err as Error).message}`);
    } finally {
      state.running = false;
      if (state.again) {
        state.again = false;
        void run();
      }
    }
  };
  void liveBus().on("article_events", () => void run(), () => void run()).catch((err) =>
    console.warn(`[notifier] cannot LISTEN: ${(err as Error).message}; looking every ${FALLBACK_MS / 1000} s`),
  );
  setInterval(() => void run(), FALLBACK_MS).unref();
  void run();
  // Email digests: whoever is due, every hour (and a minute after start).
  const digests = async () => {
    try {
      const n = await sendDueDigests(await getDb());
      if (n) console.log(`[notifier] digests: ${n} people due`);
    } catch (err) {
      console.warn(`[notifier] digests: ${(err as Error).message}`);
    }
  };
  setTimeout(() => void digests(), 60_000).unref();
  setInterval(() => void digests(), 60 * 60_000).unref();
}
