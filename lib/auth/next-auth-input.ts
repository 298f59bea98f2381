import { fieldError, type AppError } from "@/lib/http/errors";

/** The names next-auth gives its callback-url cookie (with and without the secure prefix). */
const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** next-auth's own test (core/lib/assert.js): relative to the site when it starts with "/", else absolute http(s). */
function isHttpUrl(value: string): boolean {
  if (value.startsWith("/")) return true;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * A callbackUrl (query or cookie) next-auth cannot parse makes it answer 500 "problem with the
 * server configuration" for every action. It is the caller's input: a 400 instead.
 */
export function nextAuthInputError(req: Request, cookies: { get(name: string): { value: string } | undefined }): AppError | null {
  const query = new URL(req.url).searchParams.get("callbackUrl");
  if (query && !isHttpUrl(query)) return fieldError("callbackUrl", "is not a valid URL", { code: "bad_request" });
  for (const name of CALLBACK_COOKIES) {
    const value = cookies.get(name)?.value;
    if (value && !isHttpUrl(value)) return fieldError(name, "is not a valid URL; sign in again from the site", { code: "bad_request" });
  }
  return null;
}
