import type { Tx } from "@/lib/db/client";
import type { EmailKind } from "@/lib/generated/prisma/enums";
import type { RenderedEmail } from "./templates";

export interface QueuedEmail extends RenderedEmail {
  kind: EmailKind;
  to: string;
  userId?: string | null;
  headers?: Record<string, string>;
}

/**
 * Queues an email: one row in the outbox, written in the caller's transaction, so the email
 * exists if and only if the event that causes it is committed. Nothing waits for SMTP: the
 * worker (lib/mail/send-pending.ts) sends it; call kickMailWorker() after the commit to send it
 * now rather than at the next poll.
 */
export async function enqueueEmail(tx: Tx, mail: QueuedEmail): Promise<string> {
  const row = await tx.outboundEmail.create({
    data: {
      kind: mail.kind,
      toAddress: mail.to,
      userId: mail.userId ?? null,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: mail.headers ?? undefined,
    },
    select: { id: true },
  });
  return row.id;
}
