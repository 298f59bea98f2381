import { z } from "zod";
import { listOwnContributions } from "@/lib/annotations/list-own-contributions";
import { requireUser } from "@/lib/auth/session";
import { handler, json, parseParams } from "@/lib/http/respond";

const query = z.object({ cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/).optional() });

/** GET: the caller's own contributions in every status, with moderation reasons. */
export const GET = handler(async (req: Request) => {
  const user = await requireUser();
  const { cursor } = parseParams(Object.fromEntries(new URL(req.url).searchParams), query);
  return json(await listOwnContributions(user, cursor));
});
