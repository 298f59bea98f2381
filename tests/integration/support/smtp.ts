import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server for a test, on 127.0.0.1 (TEST_SMTP_PORT, else a free port the system
 * picks). It keeps every message it accepts, parsed with mailparser, and can refuse the next
 * messages with a temporary error (451), as a busy or broken server would.
 */
export interface TestSmtp {
  url: string;
  messages: ParsedMail[];
  /** Refuse this many upcoming messages (451 at RCPT TO). */
  refuseNext(n: number): void;
  refused: number;
  /** The first message to `to` after `already` earlier ones, waiting up to `timeoutMs`. */
  waitFor(to: string, opts?: { already?: number; timeoutMs?: number }): Promise<ParsedMail>;
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

const recipients = (m: ParsedMail) =>
  (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));

export async function startTestSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  let refuse = 0;
  const state = { refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refuse > 0) {
        refuse--;
        state.refused++;
        const err = Object.assign(new Error("Try again later (test server refusing)"), { responseCode: 451 });
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (m) => {
          messages.push(m);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  const port = Number(process.env.TEST_SMTP_PORT ?? 0);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  const to = (address_: string) => messages.filter((m) => recipients(m).includes(address_.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    refuseNext(n) {
      refuse = n;
    },
    get refused() {
      return state.refused;
    },
    to,
    async waitFor(address_, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
      for (;;) {
        const found = to(address_)[opts.already ?? 0];
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no message to ${address_} arrived within ${opts.timeoutMs ?? 10_000} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a message's text that starts with `prefix`. */
export function linkIn(mail: ParsedMail, prefix: string): URL {
  const found = (mail.text ?? "").split(/\s+/).find((w) => w.startsWith(prefix));
  if (!found) throw new Error(`no link starting with ${prefix} in:\n${mail.text}`);
  return new URL(found);
}
