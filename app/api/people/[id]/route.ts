import { getProfile } from "@/lib/people/get-profile";
import { profileQuerySchema } from "@/lib/people/schemas";
import { notFound } from "@/lib/http/errors";
import { routeId } from "@/lib/http/parse";
import { handler, json, parseQuery } from "@/lib/http/respond";

type Ctx = { params: Promise<{ id: string }> };

/** GET ?cursor=: a person's public profile and published contributions, 20 a page (anyone). */
export const GET = handler(async (req: Request, ctx: Ctx) => {
  const id = await routeId(ctx, "Person");
  const { cursor } = parseQuery(req, profileQuerySchema);
  const profile = await getProfile(id, { cursor });
  if (!profile) throw notFound("Person");
  return json(profile);
});
