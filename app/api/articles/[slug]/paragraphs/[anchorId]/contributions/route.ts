import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { listQuerySchema } from "@/lib/annotations/schemas";
import { getCurrentUser } from "@/lib/auth/session";
import { routeText } from "@/lib/http/parse";
import { handler, json, parseQuery } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string; anchorId: string }> };

/** GET: a paragraph's published contributions, 20 a page (?sort=helpful|newest, ?cursor=, ?covering=). */
export const GET = handler(async (req: Request, ctx: Ctx) => {
  const params = await ctx.params;
  const slug = routeText(params.slug, "Article");
  const anchorId = routeText(params.anchorId, "Paragraph");
  const query = parseQuery(req, listQuerySchema);
  const viewer = await getCurrentUser();
  const page = await listParagraphContributions(slug, anchorId, { ...query, viewerId: viewer?.id ?? null });
  return json(page);
});
