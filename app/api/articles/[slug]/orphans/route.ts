import { listOrphans } from "@/lib/annotations/list-orphans";
import { orphansQuerySchema } from "@/lib/annotations/schemas";
import { getCurrentUser } from "@/lib/auth/session";
import { routeText } from "@/lib/http/parse";
import { handler, json, parseQuery } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string }> };

/** GET: the contributions re-anchoring could not place on the current version, 20 a page (?cursor=). */
export const GET = handler(async (req: Request, ctx: Ctx) => {
  const slug = routeText((await ctx.params).slug, "Article");
  const query = parseQuery(req, orphansQuerySchema);
  const viewer = await getCurrentUser();
  return json(await listOrphans(slug, { cursor: query.cursor, limit: 20, viewerId: viewer?.id ?? null }));
});
