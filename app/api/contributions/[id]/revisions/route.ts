import { listRevisions } from "@/lib/annotations/list-revisions";
import { revisionsQuerySchema } from "@/lib/annotations/schemas";
import { getCurrentUser } from "@/lib/auth/session";
import { routeId } from "@/lib/http/parse";
import { handler, json, parseQuery } from "@/lib/http/respond";

type Ctx = { params: Promise<{ id: string }> };

/** GET ?after=&limit=: the contribution's edit history (as posted, then each edit), oldest first. */
export const GET = handler(async (req: Request, ctx: Ctx) => {
  const id = await routeId(ctx, "Contribution");
  const query = parseQuery(req, revisionsQuerySchema);
  const viewer = await getCurrentUser();
  return json(await listRevisions(viewer, id, query));
});
