import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { routeId } from "@/lib/http/parse";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson } from "@/lib/http/respond";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { flagSchema } from "@/lib/moderation/schemas";
import { limitFlagging } from "@/lib/rate-limit/limits-for";

type Ctx = { params: Promise<{ id: string }> };

/** POST {reason, note?}: report a contribution to the moderators. */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await routeId(ctx, "Contribution");
  const input = await parseJson(req, flagSchema);
  await limitFlagging(user, clientIp(req.headers));
  const result = await flagContribution(user, id, input);
  invalidateArticlePages();
  return json(result, 201);
});
