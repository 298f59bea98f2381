import { listVersions } from "@/lib/content/list-versions";
import { routeText } from "@/lib/http/parse";
import { handler, json } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string }> };

/** GET: the article's versions, newest first — number, title, createdAt, source, and paragraph change counts against the version before. */
export const GET = handler(async (_req: Request, ctx: Ctx) => {
  const slug = routeText((await ctx.params).slug, "Article");
  return json({ versions: await listVersions(slug) });
});
