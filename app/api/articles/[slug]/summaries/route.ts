import { articleSummaries } from "@/lib/annotations/paragraph-summaries";
import { getCurrentUser } from "@/lib/auth/session";
import { routeText } from "@/lib/http/parse";
import { handler, json } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string }> };

/** GET: per paragraph, counts by kind and highlighted spans (what the article page carries). */
export const GET = handler(async (_req: Request, ctx: Ctx) => {
  const slug = routeText((await ctx.params).slug, "Article");
  const viewer = await getCurrentUser();
  return json({ paragraphs: await articleSummaries(slug, viewer?.id ?? null) });
});
