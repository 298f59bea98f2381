// npm run mail:send [-- --retry-failed] — sends every due email in the outbox once and exits
// (through SMTP_URL, or into MAIL_OUTBOX_DIR without it). The app's own worker does the same
// every few seconds; this is for operators and scripts. --retry-failed first requeues messages
// that ran out of attempts (after fixing the mail server).
import { parseArgs } from "node:util";
import { closeDb, getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { flushOutbox, retryFailed } from "@/lib/mail/send-pending";
import { outboxDir } from "@/lib/mail/config";

const { values } = parseArgs({ options: { "retry-failed": { type: "boolean", default: false } } });

try {
  await getDb();
  if (values["retry-failed"]) console.log(`[mail:send] requeued ${await retryFailed()} failed message(s)`);
  const res = await flushOutbox();
  const via = env().SMTP_URL ? "SMTP_URL" : `the outbox directory ${outboxDir()}`;
  console.log(`[mail:send] via ${via}: ${res.sent} sent, ${res.retrying} to retry later, ${res.failed} failed for good`);
  if (res.retrying || res.failed) process.exitCode = 2;
} catch (err) {
  console.error(`[mail:send] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
