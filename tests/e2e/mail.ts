import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";

/**
 * The mail the app sent during the run, as the test SMTP server (scripts/e2e-server.mjs)
 * received it: one .eml file per message in E2E_MAIL_DIR, parsed with mailparser.
 */

const dir = () => process.env.E2E_MAIL_DIR ?? path.resolve(".data/e2e-mail");

const recipients = (m: ParsedMail) =>
  (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));

async function mailTo(address: string): Promise<ParsedMail[]> {
  const files = (await readdir(dir())).filter((f) => f.endsWith(".eml")).sort();
  const all = await Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(dir(), f)))));
  return all.filter((m) => recipients(m).includes(address.toLowerCase()));
}

/** Waits (up to 20 s: the app's outbox worker sends in the background) for a message to `address` with `subject`. */
export async function waitForMail(address: string, subject: string, timeoutMs = 20_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailTo(address)).find((m) => m.subject === subject);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no email "${subject}" to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The link in a message's text whose path is `pathname`. */
export function linkIn(mail: ParsedMail, pathname: string): string {
  const found = (mail.text ?? "").split(/\s+/).find((w) => /^https?:\/\//.test(w) && new URL(w).pathname === pathname);
  if (!found) throw new Error(`no ${pathname} link in:\n${mail.text}`);
  return found;
}
