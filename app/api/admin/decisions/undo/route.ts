import { requireModerator } from "@/lib/auth/session";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson } from "@/lib/http/respond";
import { undoSchema } from "@/lib/moderation/schemas";
import { undoDecision } from "@/lib/moderation/undo-decision";

/** POST {batch}: takes back the caller's last decision (409 if it is not, or anything changed since). */
export const POST = handler(async (req: Request) => {
  const moderator = await requireModerator();
  const { batch } = await parseJson(req, undoSchema);
  const results = await undoDecision(moderator, batch);
  invalidateArticlePages();
  return json({ results });
});
