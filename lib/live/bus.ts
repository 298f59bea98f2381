import { listen } from "@/lib/db/client";

/**
 * The channels an instance listens on, all on its one LISTEN connection:
 * - `article_events`: a contribution changed (payload: the article id; migration 20261203160000);
 * - `user_notifications`: someone's notifications changed (payload: the user id; migration 20261204100000);
 * - `page_cache`: a change no contribution carries, e.g. an article added (payload: what to drop; lib/cache).
 */
export const CHANNELS = ["article_events", "user_notifications", "page_cache"] as const;
export type Channel = (typeof CHANNELS)[number];

interface Handler {
  onNotify: (payload: string) => void;
  /** After a lost connection: whatever was committed meanwhile was not heard. */
  onReconnect: () => void;
}

/**
 * One LISTEN connection per instance for everyone who needs PostgreSQL's notifications (the live
 * hub, the notifier, the page cache, the notification streams), fanned out in memory
 * (docs/decisions/0046-live-notifications-and-page-cache.md). On globalThis: the instrumentation
 * bundle and the route handlers' bundles share it.
 */
class Bus {
  private handlers = new Map<Channel, Set<Handler>>(CHANNELS.map((c) => [c, new Set<Handler>()]));
  private listening: Promise<unknown> | null = null;

  private ensureListening(): Promise<unknown> {
    this.listening ??= listen(
      [...CHANNELS],
      (payload, channel) => {
        for (const h of this.handlers.get(channel as Channel) ?? []) {
          try {
            h.onNotify(payload);
          } catch (err) {
            console.warn(`[live] ${channel}: ${(err as Error).message}`);
          }
        }
      },
      () => {
        for (const set of this.handlers.values()) for (const h of set) h.onReconnect();
      },
    ).catch((err) => {
      this.listening = null;
      throw err;
    });
    return this.listening;
  }

  /** Calls `onNotify` for every notification on `channel`; resolves once the instance is listening. Returns a function that stops. */
  async on(channel: Channel, onNotify: (payload: string) => void, onReconnect: () => void = () => undefined): Promise<() => void> {
    const h: Handler = { onNotify, onReconnect };
    this.handlers.get(channel)!.add(h);
    try {
      await this.ensureListening();
    } catch (err) {
      this.handlers.get(channel)!.delete(h);
      throw err;
    }
    return () => void this.handlers.get(channel)!.delete(h);
  }

  /** For tests: how many handlers listen on `channel`. */
  count(channel: Channel): number {
    return this.handlers.get(channel)!.size;
  }
}

const g = globalThis as typeof globalThis & { __liveBus?: Bus };

export function liveBus(): Bus {
  g.__liveBus ??= new Bus();
  return g.__liveBus;
}
