import { getCurrentUser } from "@/lib/auth/session";
import { routeText } from "@/lib/http/parse";
import { handler } from "@/lib/http/respond";
import { openArticleStream, parseLastEventId, wantsStream } from "@/lib/live/open-stream";

type Ctx = { params: Promise<{ slug: string }> };

export const dynamic = "force-dynamic";

/**
 * GET: the article's live stream (Server-Sent Events) for EventSource (Accept: text/event-stream);
 * Last-Event-ID (or ?lastEventId=) resumes after a reconnect. Other clients get what came after
 * that id, and the response ends (polling).
 */
export const GET = handler(async (req: Request, ctx: Ctx) => {
  const slug = routeText((await ctx.params).slug, "Article");
  const lastEventId = parseLastEventId(req);
  const viewer = await getCurrentUser();
  const stream = await openArticleStream(slug, viewer?.id ?? null, lastEventId, req.signal, !wantsStream(req));
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});
