import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { routeText } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";
import { setArticlePolicy } from "@/lib/moderation/set-article-policy";

type Ctx = { params: Promise<{ slug: string }> };

const policySchema = z.object({ moderationPolicy: z.enum(["POST_MODERATION", "PRE_MODERATION"]) });

/** PATCH {moderationPolicy}: post- or pre-moderation for one article. */
export const PATCH = handler(async (req: Request, ctx: Ctx) => {
  const admin = await requireAdmin();
  const slug = routeText((await ctx.params).slug, "Article");
  const { moderationPolicy } = await parseJson(req, policySchema);
  return json({ article: await setArticlePolicy(admin, slug, moderationPolicy) });
});
