import NextAuth from "next-auth";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { nextAuthInputError } from "@/lib/auth/next-auth-input";
import { authOptions } from "@/lib/auth/options";
import { checkSignIn } from "@/lib/auth/sign-in-limits";
import { errorResponse } from "@/lib/http/respond";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily), so `next build` needs no secret.
async function handle(req: Request, ctx: Ctx): Promise<Response> {
  try {
    const params = await ctx.params;
    const bad = nextAuthInputError(req, await cookies());
    if (bad) return errorResponse(bad);
    if (req.method === "POST" && params.nextauth.join("/") === "callback/credentials") {
      const form = await req.clone().formData().catch(() => null);
      const check = await checkSignIn(req.headers, String(form?.get("email") ?? ""));
      if (!check.ok) {
        const url = new URL("/signin?error=RateLimited", req.url).toString();
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
