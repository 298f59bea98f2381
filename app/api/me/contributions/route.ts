import { listOwnContributions } from "@/lib/annotations/list-own-contributions";
import { ownContributionsQuerySchema } from "@/lib/annotations/schemas";
import { requireUser } from "@/lib/auth/session";
import { handler, json, parseQuery } from "@/lib/http/respond";

/** GET: the caller's own contributions in every status, with moderation reasons. */
export const GET = handler(async (req: Request) => {
  const user = await requireUser();
  const { cursor } = parseQuery(req, ownContributionsQuerySchema);
  return json(await listOwnContributions(user, cursor));
});
