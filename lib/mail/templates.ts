import { publicBaseUrl } from "@/lib/env";

/**
 * The emails the app sends, rendered once when they are queued (text and a small HTML part).
 * Every value put into the HTML is escaped; links are built from NEXTAUTH_URL only.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function layout(paragraphs: string[], link: { href: string; label: string }, after: string[]): string {
  const p = (t: string) => `<p style="margin:0 0 16px">${esc(t)}</p>`;
  return [
    `<!doctype html><html><body style="font-family:Georgia,serif;color:#1c1917;max-width:560px;margin:0 auto;padding:24px">`,
    ...paragraphs.map(p),
    `<p style="margin:0 0 16px"><a href="${esc(link.href)}" style="color:#1c1917">${esc(link.label)}</a></p>`,
    ...after.map(p),
    `</body></html>`,
  ].join("\n");
}

export function link(pathname: string, params: Record<string, string>): string {
  return `${publicBaseUrl()}${pathname}?${new URLSearchParams(params).toString()}`;
}

export function verifyEmailMessage(name: string, token: string): RenderedEmail {
  const href = link("/verify-email", { token });
  const hello = `Hello ${name},`;
  const body = "Please confirm that this is your email address for Marginalia by opening this link:";
  const after = ["The link works for 7 days. If you did not create an account, ignore this email."];
  return {
    subject: "Confirm your email address",
    text: [hello, "", body, href, "", ...after].join("\n"),
    html: layout([hello, body], { href, label: "Confirm my email address" }, after),
  };
}

export function passwordResetMessage(name: string, token: string, ttlMinutes: number): RenderedEmail {
  const href = link("/reset-password", { token });
  const hello = `Hello ${name},`;
  const body = "Someone (hopefully you) asked to reset the password of your Marginalia account. To choose a new password, open this link:";
  const after = [
    `The link works once, for ${ttlMinutes} minutes. If you did not ask for this, ignore this email: your password stays as it is.`,
  ];
  return {
    subject: "Reset your password",
    text: [hello, "", body, href, "", ...after].join("\n"),
    html: layout([hello, body], { href, label: "Choose a new password" }, after),
  };
}

/** A digest: the notifications' own text, plus the one-click unsubscribe link. */
export function digestMessage(name: string, subject: string, lines: string[], unsubscribeHref: string): RenderedEmail {
  const hello = `Hello ${name},`;
  const footer = "You receive this digest because notifications by email are on for your account.";
  return {
    subject,
    text: [hello, "", ...lines, "", footer, `Unsubscribe: ${unsubscribeHref}`].join("\n"),
    html: layout([hello, ...lines, footer], { href: unsubscribeHref, label: "Unsubscribe from these emails" }, []),
  };
}
