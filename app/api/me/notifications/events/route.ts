import { requireUser } from "@/lib/auth/session";
import { handler } from "@/lib/http/respond";
import { openUserStream, wantsStream } from "@/lib/live/open-stream";

export const dynamic = "force-dynamic";

/**
 * GET: the signed-in person's notification stream (Server-Sent Events): a `notifications` event
 * whenever their notifications change, from whichever instance; the header's bell then asks for
 * its count. 401 signed out. Article pages do not use it: their article stream carries the same
 * nudges (docs/decisions/0046). Without Accept: text/event-stream it says hello and ends.
 */
export const GET = handler(async (req: Request) => {
  const user = await requireUser();
  return new Response(openUserStream(user.id, req.signal, !wantsStream(req)), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});
