import { emptySummary } from "@/lib/annotations/summary";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { getDb } from "@/lib/db/client";
import { liveBus } from "./bus";
import { canHear, latestEventId, MAX_CATCH_UP, readEvents, type ArticleEventRow, type LiveEvent } from "./events";

/** Longer than a contribution write takes from its insert (the event id) to its commit. */
const LATE_MS = 15_000;

/** One open stream: an article, who is watching, and how to deliver to them. */
export interface Subscriber {
  articleId: string;
  viewerId: string | null;
  /** Delivers one event; false if the stream is full (it is then closed, and the browser resumes from its last id). */
  send: (e: LiveEvent) => boolean;
  /** Too much was missed to replay: the browser reloads its margin. */
  reset: () => void;
}

/**
 * The live fan-out of one app instance (docs/decisions/0040-live-margin.md): one LISTEN
 * connection for every stream, one read of new events per article per notification (however many
 * browsers watch it), and one summary query per changed paragraph, shared by all of them. Every
 * instance hears every commit through PostgreSQL, so nothing here depends on the instance that
 * made the change.
 */
class Hub {
  private subs = new Map<string, Set<Subscriber>>();
  /** The last event id delivered, per watched article. */
  private last = new Map<string, bigint>();
  /**
   * Ids come from a sequence, taken at insert, so two writers can commit out of id order: a read
   * that saw 41 while 40 was still uncommitted must not skip 40 for good (bench:sse lost such an
   * event in a burst). Each drain reads again from where a drain began up to LATE_MS ago and
   * skips what it already delivered.
   */
  private marks = new Map<string, { at: number; from: bigint }[]>();
  private delivered = new Map<string, Set<bigint>>();
  private draining = new Map<string, Promise<void>>();
  private again = new Set<string>();
  private listening: Promise<unknown> | null = null;

  private ensureListening(): Promise<unknown> {
    this.listening ??= liveBus().on(
      "article_events",
      (articleId) => this.notify(articleId),
      // After a lost connection: whatever was committed meanwhile.
      () => {
        for (const id of this.subs.keys()) this.notify(id);
      },
    ).catch((err) => {
      this.listening = null;
      throw err;
    });
    return this.listening;
  }

  /** Starts delivering to `sub`, first replaying what came after `fromId` (a reconnect's Last-Event-ID). */
  async subscribe(sub: Subscriber, fromId: bigint | null): Promise<() => void> {
    await this.ensureListening();
    const db = await getDb();
    let set = this.subs.get(sub.articleId);
    if (!set) {
      set = new Set();
      this.subs.set(sub.articleId, set);
      this.last.set(sub.articleId, await latestEventId(db, sub.articleId));
    }
    const upTo = this.last.get(sub.articleId)!;
    if (fromId !== null && fromId < upTo) {
      const missed = (await readEvents(db, sub.articleId, fromId, MAX_CATCH_UP + 1)).filter((e) => e.id <= upTo);
      if (missed.length > MAX_CATCH_UP) sub.reset();
      else for (const e of await this.shape(missed)) if (canHear(sub.viewerId, e.row)) sub.send(e.event);
    }
    set.add(sub);
    return () => {
      const s = this.subs.get(sub.articleId);
      if (!s) return;
      s.delete(sub);
      if (s.size === 0) {
        this.subs.delete(sub.articleId);
        this.last.delete(sub.articleId);
        this.marks.delete(sub.articleId);
        this.delivered.delete(sub.articleId);
      }
    };
  }

  /** A commit touched `articleId`: read its new events once and deliver them (coalesced while a read runs). */
  notify(articleId: string): void {
    if (!this.subs.has(articleId)) return;
    if (this.draining.has(articleId)) {
      this.again.add(articleId);
      return;
    }
    const run = this.drain(articleId)
      .catch((err) => console.warn(`[live] ${articleId}: ${(err as Error).message}`))
      .finally(() => {
        this.draining.delete(articleId);
        if (this.again.delete(articleId)) this.notify(articleId);
      });
    this.draining.set(articleId, run);
  }

  private async drain(articleId: string): Promise<void> {
    const db = await getDb();
    const last = this.last.get(articleId);
    if (last === undefined) return;
    // Where to read from: the oldest drain start of the last LATE_MS (or the last id delivered).
    const now = Date.now();
    const marks = (this.marks.get(articleId) ?? []).filter((m) => m.at >= now - LATE_MS);
    marks.push({ at: now, from: last });
    this.marks.set(articleId, marks);
    let from = marks[0]!.from;
    const delivered = this.delivered.get(articleId) ?? new Set<bigint>();
    this.delivered.set(articleId, delivered);
    for (const id of delivered) if (id <= from) delivered.delete(id);
    for (;;) {
      if (!this.last.has(articleId)) return; // nobody watches it any more
      const read = await readEvents(db, articleId, from);
      if (read.length === 0) return;
      from = read[read.length - 1]!.id;
      const rows = read.filter((r) => !delivered.has(r.id));
      for (const r of rows) delivered.add(r.id);
      if (from > (this.last.get(articleId) ?? from)) this.last.set(articleId, from);
      if (rows.length === 0) {
        if (read.length < MAX_CATCH_UP) return;
        continue;
      }
      const shaped = await this.shape(rows);
      for (const sub of this.subs.get(articleId) ?? []) {
        for (const e of shaped) {
          if (canHear(sub.viewerId, e.row) && !sub.send(e.event)) break;
        }
      }
      if (read.length < MAX_CATCH_UP) return;
    }
  }

  /** Events with their paragraph's public summary, one summary query for all the paragraphs in the batch. */
  private async shape(rows: ArticleEventRow[]): Promise<{ row: ArticleEventRow; event: LiveEvent }[]> {
    if (rows.length === 0) return [];
    const anchors = [...new Set(rows.map((r) => r.anchorId))];
    const summaries = await paragraphSummaries(rows[0]!.articleId, null, anchors);
    return rows.map((row) => ({
      row,
      event: {
        id: row.id.toString(),
        type: row.type,
        contributionId: row.contributionId,
        parentId: row.parentId,
        anchorId: row.anchorId,
        summary: summaries.get(row.anchorId) ?? emptySummary(),
      },
    }));
  }

  /** For the benchmark and tests: how many streams this instance holds. */
  size(): number {
    let n = 0;
    for (const s of this.subs.values()) n += s.size;
    return n;
  }
}

const g = globalThis as typeof globalThis & { __liveHub?: Hub };

export function liveHub(): Hub {
  g.__liveHub ??= new Hub();
  return g.__liveHub;
}
