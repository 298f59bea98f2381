import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { fieldError, notFound } from "@/lib/http/errors";
import type { LiveEvent } from "./events";
import { liveHub } from "./hub";
import { userHub } from "./user-hub";

/** Last-Event-ID as the stream sent it: the event's id (a positive integer), or absent. */
export const lastEventIdSchema = z
  .string()
  .regex(/^\d{1,18}$/, "must be the id of an event this stream sent")
  .transform((s) => BigInt(s))
  .nullable();

/**
 * A stream for EventSource (it sends Accept: text/event-stream); anything else (a polling client,
 * curl) gets what came after its last id at once, and the response ends.
 */
export function wantsStream(req: Request): boolean {
  return (req.headers.get("accept") ?? "").includes("text/event-stream");
}

export function parseLastEventId(req: Request): bigint | null {
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("lastEventId");
  const parsed = lastEventIdSchema.safeParse(raw === "" ? null : raw);
  if (!parsed.success) throw fieldError("Last-Event-ID", parsed.error.issues[0]?.message ?? "is not valid");
  return parsed.data;
}

/** A quiet stream still sends a comment this often, so proxies keep it open and the browser notices a dead one. */
export const HEARTBEAT_MS = 15_000;
/** Events queued for a browser that does not read them; beyond this the stream is closed and it resumes from its last id. */
const QUEUE_LIMIT = 256;

const encoder = new TextEncoder();

/** The hub hands the same event object to every stream of the article: serialise it once, not once per stream. */
const frames = new WeakMap<LiveEvent, Uint8Array>();

function frame(e: LiveEvent): Uint8Array {
  let f = frames.get(e);
  if (!f) {
    f = encoder.encode(`id: ${e.id}\nevent: contribution\ndata: ${JSON.stringify(e)}\n\n`);
    frames.set(e, f);
  }
  return f;
}

/** "Your notifications changed: ask for your unread count." */
const NUDGE = encoder.encode(`event: notifications\ndata: {}\n\n`);

/**
 * The live stream of one article for one viewer (Server-Sent Events): contributions posted,
 * changed and removed, each with its paragraph's summary, as every app instance hears them from
 * PostgreSQL; a heartbeat; a bounded queue per browser; replay after `lastEventId`. A signed-in
 * viewer's stream also carries their notification nudges, so an article tab holds one connection,
 * not two (docs/decisions/0046).
 */
export async function openArticleStream(
  slug: string,
  viewerId: string | null,
  lastEventId: bigint | null,
  signal: AbortSignal,
  /** Send what came after lastEventId and end (a polling client, or one behind a proxy that breaks streams). */
  once = false,
): Promise<ReadableStream<Uint8Array>> {
  const db = await getDb();
  const article = await db.article.findUnique({ where: { slug }, select: { id: true } });
  if (!article) throw notFound("Article");
  const life = streamLife();
  const stop = life.stop;
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        // The viewer's notification nudges first: after "hello" the page may ask for its count and miss nothing.
        if (viewerId !== null && !once) {
          life.hold(await userHub().subscribe({ userId: viewerId, nudge: () => push(controller, NUDGE, () => stop(controller)) }));
        }
        // Reconnect after 2 s; "hello" tells the page it is live.
        if (!life.closed) controller.enqueue(encoder.encode(`retry: 2000\nevent: hello\ndata: {}\n\n`));
        const send = (e: LiveEvent) => {
          if (life.closed) return false;
          if ((controller.desiredSize ?? 0) <= 0) {
            stop(controller);
            return false;
          }
          controller.enqueue(frame(e));
          return true;
        };
        const reset = () => {
          if (!life.closed) controller.enqueue(encoder.encode(`event: reset\ndata: {}\n\n`));
        };
        life.hold(await liveHub().subscribe({ articleId: article.id, viewerId, send, reset }, lastEventId));
        if (once || life.closed || signal.aborted) {
          stop(controller);
          return;
        }
        life.beat(controller, signal);
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: QUEUE_LIMIT },
  );
}

/**
 * One stream's lifetime, shared by the article and the personal streams: what it subscribed to,
 * its heartbeat, and one `stop` that undoes both and closes the stream (once; a subscription that
 * resolves after the stop is undone at once).
 */
function streamLife() {
  const undo: (() => void)[] = [];
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  const life = {
    closed: false,
    hold(unsubscribe: () => void): void {
      if (life.closed) unsubscribe();
      else undo.push(unsubscribe);
    },
    /** The heartbeat, and stopping when the browser goes away. */
    beat(controller: ReadableStreamDefaultController<Uint8Array>, signal: AbortSignal): void {
      heartbeat = setInterval(() => {
        if (!life.closed && (controller.desiredSize ?? 0) > 0) controller.enqueue(encoder.encode(`: heartbeat\n\n`));
      }, HEARTBEAT_MS);
      signal.addEventListener("abort", () => life.stop(controller), { once: true });
    },
    stop(controller?: ReadableStreamDefaultController<Uint8Array>): void {
      if (life.closed) return;
      life.closed = true;
      if (heartbeat) clearInterval(heartbeat);
      for (const u of undo) u();
      try {
        controller?.close();
      } catch {
        // already closed by the browser
      }
    },
  };
  return life;
}

/** Queues `chunk` unless the browser is too far behind (then the stream is stopped, and it reconnects). */
function push(controller: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array, stop: () => void): boolean {
  if ((controller.desiredSize ?? 0) <= 0) {
    stop();
    return false;
  }
  try {
    controller.enqueue(chunk);
    return true;
  } catch {
    stop(); // closed meanwhile
    return false;
  }
}

/**
 * The signed-in person's own stream (GET /api/me/notifications/events), for pages without an
 * article stream: `hello` once subscribed, then a `notifications` event whenever their notifications change (on
 * any instance), a heartbeat, the same bounded queue. Nothing to replay: on (re)connecting the
 * browser asks for its count anyway. A client without `Accept: text/event-stream` gets the hello
 * and the response ends, as on the article stream.
 */
export function openUserStream(
  userId: string,
  signal: AbortSignal,
  /** Say hello and end (a client that did not ask for a stream: a probe, curl). */
  once = false,
): ReadableStream<Uint8Array> {
  const life = streamLife();
  const stop = life.stop;
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        if (once) {
          controller.enqueue(encoder.encode(`event: hello\ndata: {}\n\n`));
          stop(controller);
          return;
        }
        life.hold(await userHub().subscribe({ userId, nudge: () => push(controller, NUDGE, () => stop(controller)) }));
        if (life.closed || signal.aborted) {
          stop(controller);
          return;
        }
        // Subscribed: after "hello" the page asks for its count, and misses nothing since.
        controller.enqueue(encoder.encode(`retry: 2000\nevent: hello\ndata: {}\n\n`));
        life.beat(controller, signal);
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: QUEUE_LIMIT },
  );
}
