import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import { outboxDir } from "./config";

/** One message as the worker hands it over. */
export interface OutgoingMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

export interface Sender {
  /** "smtp" or "outbox directory", for logs. */
  describe: string;
  send(msg: OutgoingMessage): Promise<void>;
  close(): void;
}

/** Message-ID from the outbox row's id: a retry of the same row carries the same Message-ID. */
function messageId(id: string): string {
  const from = env().MAIL_FROM;
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
  return `<${id}@${domain}>`;
}

function mailOptions(msg: OutgoingMessage) {
  return {
    from: env().MAIL_FROM,
    to: msg.to,
    subject: msg.subject,
    text: msg.text,
    html: msg.html ?? undefined,
    headers: msg.headers,
    messageId: messageId(msg.id),
  };
}

/**
 * SMTP_URL set: nodemailer over SMTP (pooled for one flush). Unset: each message is rendered by
 * nodemailer to RFC 822 and written to MAIL_OUTBOX_DIR as `<time>-<id>.eml` (written to a
 * temporary name and renamed, so a reader never sees half a file).
 */
export function createSender(): Sender {
  const url = env().SMTP_URL;
  if (url) {
    const transport = nodemailer.createTransport(url);
    return {
      describe: "smtp",
      async send(msg) {
        await transport.sendMail(mailOptions(msg));
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    describe: `outbox directory ${outboxDir()}`,
    async send(msg) {
      const info = await transport.sendMail(mailOptions(msg));
      const dir = outboxDir();
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${msg.id}.eml`;
      const tmp = path.join(dir, `.${name}.tmp`);
      await writeFile(tmp, info.message as Buffer);
      await rename(tmp, path.join(dir, name));
    },
    close: () => transport.close(),
  };
}

/** A failure as stored in lastError: the server's words, without the SMTP URL or its password, at most 500 characters. */
export function describeFailure(err: unknown): string {
  let text = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
  const url = env().SMTP_URL;
  if (url) {
    text = text.split(url).join("[SMTP_URL]");
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) text = text.split(password).join("[password]");
    } catch {
      // not a parseable URL: nothing more to hide
    }
  }
  return text.slice(0, 500);
}
