/**
 * The one check for user-supplied URLs: absolute http(s) only, with a host, no credentials,
 * no white space or control characters, at most 2,048 characters. Returns the URL as the
 * user typed it (never silently rewritten) or null.
 */
export const MAX_URL_LENGTH = 2048;

export function checkHttpUrl(input: string): { ok: true; url: string } | { ok: false; reason: string } {
  if (input.length > MAX_URL_LENGTH) return { ok: false, reason: `must be at most ${MAX_URL_LENGTH} characters` };
  // White space, control characters and invisible format characters (bidi overrides, zero-width).
  if (/[\s\p{Cc}\p{Cf}]/u.test(input)) return { ok: false, reason: "must not contain spaces, control or invisible characters" };
  if (!/^https?:\/\//i.test(input)) return { ok: false, reason: "must start with http:// or https://" };
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return { ok: false, reason: "must be an http or https URL" };
  if (!u.hostname) return { ok: false, reason: "must name a host" };
  if (u.username || u.password) return { ok: false, reason: "must not contain a user name or password" };
  return { ok: true, url: input };
}

export function isSafeHttpUrl(input: string): boolean {
  return checkHttpUrl(input).ok;
}
