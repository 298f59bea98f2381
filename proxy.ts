import { NextResponse, type NextRequest } from "next/server";
import { badPathReason } from "@/lib/http/parse";

/**
 * Runs before routing. A path that cannot be decoded (or holds a NUL) names nothing: 400 here,
 * instead of the 500 Next's router gives when it fails to decode a dynamic segment.
 */
export function proxy(request: NextRequest): NextResponse {
  const reason = badPathReason(request.nextUrl.pathname);
  if (reason) {
    return request.nextUrl.pathname.startsWith("/api/")
      ? NextResponse.json({ error: { code: "bad_request", message: reason } }, { status: 400 })
      : new NextResponse(`Bad request. ${reason}`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return NextResponse.next();
}

export const config = { matcher: "/((?!_next/static|_next/image).*)" };
