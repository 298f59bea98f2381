import { fieldError, type AppError } from "@/lib/http/errors";

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
 * A callbackUrl query next-auth cannot parse makes it answer 500 "problem with the server
 * configuration" for every action. It is the caller's input: a 400 instead. (The callback-url
 * cookie is checked, and cleared when bad, by the route's foreignCallback.)
 */
export function nextAuthInputError(req: Request): AppError | null {
  const query = new URL(req.url).searchParams.get("callbackUrl");
  if (query && !isHttpUrl(query)) return fieldError("callbackUrl", "is not a valid URL", { code: "bad_request" });
  return null;
}
