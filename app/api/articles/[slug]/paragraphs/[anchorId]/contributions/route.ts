import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { listQuerySchema } from "@/lib/annotations/schemas";
import { getCurrentUser } from "@/lib/auth/session";
import { handler, json, parseParams } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string; anchorId: string }> };

/** GET: a paragraph's published contributions, 20 a page (?sort=helpful|newest, ?cursor=, ?covering=). */
export const GET = handler(async (req: Request, ctx: Ctx) => {
  const { slug, anchorId } = await ctx.params;
  const query = parseParams(Object.fromEntries(new URL(req.url).searchParams), listQuerySchema);
  const viewer = await getCurrentUser();
  const page = await listParagraphContributions(slug, anchorId, { ...query, viewerId: viewer?.id ?? null });
  return json(page);
});
