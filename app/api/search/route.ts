import { getCurrentUser } from "@/lib/auth/session";
import { handler, json, parseQuery } from "@/lib/http/respond";
import { searchQuerySchema } from "@/lib/search/schemas";
import { searchContributions } from "@/lib/search/search-contributions";

/** GET: published contributions matching ?q= (websearch syntax), best first, 20 a page (?article, ?kind, ?cursor). */
export const GET = handler(async (req: Request) => {
  const query = parseQuery(req, searchQuerySchema);
  const viewer = await getCurrentUser();
  return json(await searchContributions({ ...query, viewerId: viewer?.id ?? null }));
});
