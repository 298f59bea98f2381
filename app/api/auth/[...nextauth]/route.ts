import NextAuth from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { checkSignIn } from "@/lib/auth/sign-in-limits";
import { AppError } from "@/lib/http/errors";
import { appOrigin } from "@/lib/http/app-url";
import { sameOriginUrl } from "@/lib/http/redirect";
import { errorResponse } from "@/lib/http/respond";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily), so `next build` needs no secret.
async function handle(req: NextRequest, ctx: Ctx): Promise<Response> {
  try {
    const params = await ctx.params;
    const refused = foreignCallback(req);
    if (refused) return refused;
    if (req.method === "POST" && params.nextauth.join("/") === "callback/credentials") {
      const form = await req.clone().formData().catch(() => null);
      const check = await checkSignIn(req.headers, String(form?.get("email") ?? ""));
      if (!check.ok) {
        const url = new URL("/signin?error=RateLimited", appOrigin() ?? req.nextUrl.origin).toString();
        return NextResponse.json(
          { url, error: { code: "rate_limited", message: "Too many sign-in attempts. Wait a few minutes and try again." } },
          { status: 429, headers: { "Retry-After": String(check.retryAfterSeconds) } },
        );
      }
      if (check.delayMs) await new Promise((r) => setTimeout(r, check.delayMs));
    }
    return await NextAuth(authOptions())(req, { params });
  } catch (err) {
    return errorResponse(err);
  }
}

export { handle as GET, handle as POST };

const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/**
 * next-auth checks a callbackUrl in the query or its callback cookie before our redirect callback
 * sees it, and answers 500 for one that is not an http(s) URL (`javascript:…`, a look-alike host
 * with a port). Refuse anything that is not on this site with a 400 instead (clearing the cookie,
 * else every later request from that browser would fail the same way).
 */
function foreignCallback(req: NextRequest): Response | null {
  // The site's public origin (NEXTAUTH_URL), as next-auth itself uses for the cookie: behind a
  // proxy or in Docker, req.nextUrl carries the address the server listens on instead.
  const origin = appOrigin() ?? req.nextUrl.origin;
  const query = req.nextUrl.searchParams.get("callbackUrl");
  const badCookies = CALLBACK_COOKIES.filter((name) => {
    const value = req.cookies.get(name)?.value;
    return value !== undefined && sameOriginUrl(value, origin) === null;
  });
  if ((query === null || sameOriginUrl(query, origin) !== null) && badCookies.length === 0) return null;
  const res = errorResponse(new AppError("bad_request", "callbackUrl must be a page on this site."));
  for (const name of badCookies) res.cookies.set(name, "", { path: "/", maxAge: 0, secure: name.startsWith("__Secure-") });
  return res;
}
