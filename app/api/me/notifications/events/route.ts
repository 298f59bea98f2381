import { getCurrentUser } from "@/lib/auth/session";
import { handler } from "@/lib/http/respond";
import { openUserStream, wantsStream } from "@/lib/live/open-stream";

export const dynamic = "force-dynamic";

/**
 * GET: the signed-in person's notification stream (Server-Sent Events): a `notifications` event
 * whenever their notifications change, from whichever instance; the header's bell then asks for
 * its count. Signed out (or the session just ended): 204 No Content, which tells a browser's
 * EventSource to stop without logging an error on every page whose session ended (the bell then
 * polls /unread, which answers 0). Article pages do not use it: their article stream carries the same
 * nudges (docs/decisions/0046). Without Accept: text/event-stream it says hello and ends.
 */
export const GET = handler(async (req: Request) => {
  const user = await getCurrentUser();
  if (!user) return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  return new Response(openUserStream(user.id, req.signal, !wantsStream(req)), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});
