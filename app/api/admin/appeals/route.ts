import { requireModerator } from "@/lib/auth/session";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson } from "@/lib/http/respond";
import { decideAppeal } from "@/lib/moderation/decide-appeal";
import { appealDecisionSchema } from "@/lib/moderation/schemas";

/** POST {contributionId, version, uphold, reason?}: decide an appeal (final). */
export const POST = handler(async (req: Request) => {
  const moderator = await requireModerator();
  const input = await parseJson(req, appealDecisionSchema);
  const result = await decideAppeal(moderator, input);
  invalidateArticlePages();
  return json(result);
});
