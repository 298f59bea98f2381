import path from "node:path";
import { env } from "@/lib/env";

/** How the outbox worker behaves (docs/decisions/0031-email-outbox.md). */

/** Attempts before a message is marked FAILED (kept in the table; `npm run mail:send -- --retry-failed` requeues it). */
export const MAX_ATTEMPTS = 10;
/** First retry after 30 s, doubling each time, at most 6 h apart: 10 attempts span about 8.5 hours. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 6 * 3600_000;
/** A claimed (SENDING) row is another worker's to retry once this lease has run out (its process died). */
export const LEASE_MS = 5 * 60_000;
/** Rows claimed per round. */
export const BATCH = 20;
/** How often each app instance looks for due mail (retries, and mail queued by other instances). */
export const POLL_MS = 15_000;

/** Delay before attempt `attempts + 1`, after `attempts` failures (attempts ≥ 1). */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** Where mail goes when SMTP_URL is unset: one .eml file per message. */
export function outboxDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), env().MAIL_OUTBOX_DIR);
}
