import { requireModerator } from "@/lib/auth/session";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson } from "@/lib/http/respond";
import { decide } from "@/lib/moderation/decide";
import { decisionSchema } from "@/lib/moderation/schemas";

/** POST {decision, reason?, items:[{id, version}]}: all or nothing; 409 if any item is stale. */
export const POST = handler(async (req: Request) => {
  const moderator = await requireModerator();
  const input = await parseJson(req, decisionSchema);
  const results = await decide(moderator, input.decision, input.items, input.reason ?? null);
  invalidateArticlePages();
  return json({ results });
});
