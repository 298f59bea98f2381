import { resolveAnchor } from "@/lib/content/resolve-anchor";
import { notFound } from "@/lib/http/errors";
import { routeText } from "@/lib/http/parse";
import { handler, json } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string; anchorId: string }> };

/** Paragraph anchor ids as lib/content/anchors.ts makes them. */
const ANCHOR = /^p-[a-z0-9-]{1,200}$/;

/** GET: where a paragraph anchor of any version of the article is now — {current: [anchorIds], deletedIn: n | null, version}. */
export const GET = handler(async (_req: Request, ctx: Ctx) => {
  const params = await ctx.params;
  const slug = routeText(params.slug, "Article");
  const anchorId = routeText(params.anchorId, "Paragraph anchor");
  if (!ANCHOR.test(anchorId)) throw notFound("Paragraph anchor");
  return json(await resolveAnchor(slug, anchorId));
});
