import { ARTICLE_LIST_TAG } from "@/lib/cache/invalidate";
import { assertSelfRequest, pageCacheRequestSchema } from "@/lib/cache/self-request";
import { handler, parseJson } from "@/lib/http/respond";
import { revalidatePath, revalidateTag } from "next/cache";

export const dynamic = "force-dynamic";

/**
 * POST {paths?, allArticles?, articleList?}: this instance drops its own cached copies of those
 * pages (lib/cache/page-invalidation.ts calls it over loopback when PostgreSQL says something
 * changed). Only for the process itself: 403 without its in-memory secret. → 204.
 */
export const POST = handler(async (req: Request) => {
  assertSelfRequest(req);
  const what = await parseJson(req, pageCacheRequestSchema);
  for (const path of what.paths) revalidatePath(path);
  if (what.allArticles || what.articleList) revalidatePath("/articles/[slug]", "page");
  if (what.articleList) revalidateTag(ARTICLE_LIST_TAG, { expire: 0 });
  return new Response(null, { status: 204 });
});
