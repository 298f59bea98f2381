import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { routeId } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";
import { limitRating } from "@/lib/rate-limit/limits-for";
import { rateContribution } from "@/lib/ratings/rate-contribution";
import { rateSchema } from "@/lib/ratings/schemas";
import { withdrawRating } from "@/lib/ratings/withdraw-rating";

type Ctx = { params: Promise<{ id: string }> };

/** PUT {value, tags?}: rate someone else's contribution, or change the rating. */
export const PUT = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await routeId(ctx, "Contribution");
  const input = await parseJson(req, rateSchema);
  await limitRating(user, clientIp(req.headers));
  return json(await rateContribution(user, id, input));
});

/** DELETE: withdraw one's rating (204, also when there was none). */
export const DELETE = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await routeId(ctx, "Contribution");
  await limitRating(user, clientIp(req.headers));
  await withdrawRating(user, id);
  return new Response(null, { status: 204 });
});
