import { requireModerator } from "@/lib/auth/session";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { routeId } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";
import { reattachOrphan, reattachSchema } from "@/lib/moderation/reattach-orphan";

type Ctx = { params: Promise<{ id: string }> };

/** POST {anchorId, selector {start, end, exact}, version, reason?}: puts an orphan back on a span of the current text (moderators; logged). */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const moderator = await requireModerator();
  const id = await routeId(ctx, "Contribution");
  const input = await parseJson(req, reattachSchema);
  const contribution = await reattachOrphan(moderator, id, input);
  invalidateArticlePages();
  return json({ contribution });
});
