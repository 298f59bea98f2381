import { liveBus } from "./bus";

/** One open stream of a signed-in person (their notification stream, or an article stream they watch). */
export interface UserSubscriber {
  userId: string;
  /** Their notifications changed; false if the stream is full (it is then closed, and the browser reconnects). */
  nudge: () => boolean;
}

/**
 * Per-person fan-out of one app instance (docs/decisions/0046): the instance's one LISTEN on
 * `user_notifications` (the Notification trigger, migration 20261204100000) and, in memory, the
 * streams of that person this instance holds. A nudge carries nothing but "look again": the browser
 * asks for its unread count through the ordinary API. Nothing here depends on which instance wrote
 * the notification.
 */
class UserHub {
  private subs = new Map<string, Set<UserSubscriber>>();
  private listening: Promise<unknown> | null = null;

  private ensureListening(): Promise<unknown> {
    this.listening ??= liveBus()
      .on(
        "user_notifications",
        (userId) => this.nudge(userId),
        // After a lost connection: anything may have changed for anyone.
        () => {
          for (const id of [...this.subs.keys()]) this.nudge(id);
        },
      )
      .catch((err) => {
        this.listening = null;
        throw err;
      });
    return this.listening;
  }

  async subscribe(sub: UserSubscriber): Promise<() => void> {
    await this.ensureListening();
    let set = this.subs.get(sub.userId);
    if (!set) {
      set = new Set();
      this.subs.set(sub.userId, set);
    }
    set.add(sub);
    return () => {
      const s = this.subs.get(sub.userId);
      if (!s) return;
      s.delete(sub);
      if (s.size === 0) this.subs.delete(sub.userId);
    };
  }

  nudge(userId: string): void {
    for (const sub of [...(this.subs.get(userId) ?? [])]) sub.nudge();
  }

  /** For tests: how many streams this instance holds for `userId` (or for everyone). */
  size(userId?: string): number {
    if (userId !== undefined) return this.subs.get(userId)?.size ?? 0;
    let n = 0;
    for (const s of this.subs.values()) n += s.size;
    return n;
  }
}

const g = globalThis as typeof globalThis & { __userHub?: UserHub };

export function userHub(): UserHub {
  g.__userHub ??= new UserHub();
  return g.__userHub;
}
