import { requireAdmin } from "@/lib/auth/session";
import { previewRevision } from "@/lib/content/revise-article";
import { revisionInputSchema } from "@/lib/content/revision-input";
import { routeText } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";

type Ctx = { params: Promise<{ slug: string }> };

/** POST (the same body as …/revision): the changed fields and paragraphs with word-level diffs; nothing stored. */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const admin = await requireAdmin();
  const slug = routeText((await ctx.params).slug, "Article");
  const input = await parseJson(req, revisionInputSchema);
  return json({ preview: await previewRevision(admin, slug, input) });
});
