import { isDatabaseUnavailable } from "@/lib/db/errors";
import { getDb } from "@/lib/db/client";
import { BATCH, LEASE_MS, MAX_ATTEMPTS, POLL_MS, backoffMs } from "./config";
import { createSender, describeFailure, type Sender } from "./transport";

/**
 * The outbox worker. A round claims due rows — PENDING ones whose time has come, and SENDING ones
 * whose lease ran out because the process that claimed them stopped — with FOR UPDATE SKIP
 * LOCKED, so several app instances never claim the same row, and counts the attempt. Each row is
 * then sent outside any transaction; success marks it SENT (and erases its bodies), failure puts
 * it back as PENDING after an exponential backoff, or FAILED after MAX_ATTEMPTS. Delivery is at
 * least once: a process that dies between the SMTP answer and the update sends that row again.
 */

interface ClaimedRow {
  id: string;
  toAddress: string;
  subject: string;
  text: string | null;
  html: string | null;
  headers: Record<string, string> | null;
  attempts: number;
}

export interface FlushResult {
  sent: number;
  /** Put back for a later attempt. */
  retrying: number;
  /** Out of attempts (kept as FAILED). */
  failed: number;
}

async function claimDue(limit: number): Promise<ClaimedRow[]> {
  const db = await getDb();
  return db.$queryRaw<ClaimedRow[]>`
    UPDATE "OutboundEmail" SET status = 'SENDING', attempts = attempts + 1,
           "nextAttemptAt" = now() + make_interval(secs => ${LEASE_MS / 1000})
     WHERE id IN (SELECT id FROM "OutboundEmail"
                   WHERE status IN ('PENDING', 'SENDING') AND "nextAttemptAt" <= now()
                   ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id::text, "toAddress", subject, text, html, headers, attempts`;
}

async function deliver(sender: Sender, row: ClaimedRow): Promise<"sent" | "retrying" | "failed"> {
  const db = await getDb();
  try {
    await sender.send({ id: row.id, to: row.toAddress, subject: row.subject, text: row.text ?? "", html: row.html, headers: row.headers ?? {} });
  } catch (err) {
    const lastError = describeFailure(err);
    const failed = row.attempts >= MAX_ATTEMPTS;
    await db.outboundEmail.updateMany({
      where: { id: row.id, status: "SENDING" },
      data: failed
        ? { status: "FAILED", lastError }
        : { status: "PENDING", lastError, nextAttemptAt: new Date(Date.now() + backoffMs(row.attempts)) },
    });
    console.warn(`[mail] ${row.id} (attempt ${row.attempts}) ${failed ? "failed for good" : "will be retried"}: ${lastError}`);
    return failed ? "failed" : "retrying";
  }
  await db.outboundEmail.updateMany({
    where: { id: row.id },
    data: { status: "SENT", sentAt: new Date(), lastError: null, text: null, html: null },
  });
  return "sent";
}

/** Sends every due message (in rounds of BATCH) and returns the counts. `npm run mail:send` calls this. */
export async function flushOutbox(): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, retrying: 0, failed: 0 };
  let sender: Sender | undefined;
  try {
    for (let rows = await claimDue(BATCH); rows.length; rows = await claimDue(BATCH)) {
      sender ??= createSender();
      for (const row of rows) result[await deliver(sender, row)]++;
    }
  } finally {
    sender?.close();
  }
  return result;
}

/** Puts FAILED messages back in the queue (operators, after fixing the mail server). */
export async function retryFailed(): Promise<number> {
  const db = await getDb();
  const res = await db.outboundEmail.updateMany({ where: { status: "FAILED" }, data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date() } });
  return res.count;
}

interface WorkerState {
  running: boolean;
  again: boolean;
  timer?: NodeJS.Timeout;
  /** Settles when the current run ends. */
  done?: Promise<void>;
}

const g = globalThis as typeof globalThis & { __mailWorker?: WorkerState };

/** Runs a flush in the background if none is running (fire and forget; errors are logged). */
export function kickMailWorker(): void {
  const w = (g.__mailWorker ??= { running: false, again: false });
  if (w.running) {
    w.again = true;
    return;
  }
  w.running = true;
  w.done = (async () => {
    try {
      do {
        w.again = false;
        await flushOutbox();
      } while (w.again);
    } catch (err) {
      // A database restart is expected and retried: one line, no stack (docs/operations.md).
      if (isDatabaseUnavailable(err)) console.warn("[mail] the outbox waits for the database; it tries again at the next poll");
      else console.error("[mail] the outbox worker stopped on an error; it tries again at the next poll", err);
    } finally {
      w.running = false;
    }
  })();
}

/** Resolves once the background worker is idle (shutdown, tests). */
export async function whenMailWorkerIdle(): Promise<void> {
  while (g.__mailWorker?.running) await g.__mailWorker.done;
}

/** Stops the periodic poll (tests, shutdown); a run in progress finishes. */
export function stopMailWorker(): void {
  const w = g.__mailWorker;
  if (w?.timer) clearInterval(w.timer);
  if (w) w.timer = undefined;
}

/** Starts the worker at server start: a flush now and every POLL_MS (retries, other instances' mail). */
export function startMailWorker(): void {
  const w = (g.__mailWorker ??= { running: false, again: false });
  if (w.timer) return;
  w.timer = setInterval(kickMailWorker, POLL_MS);
  w.timer.unref();
  kickMailWorker();
}
