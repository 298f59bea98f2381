import { requireModerator } from "@/lib/auth/session";
import { handler, json, parseQuery } from "@/lib/http/respond";
import { listQueue } from "@/lib/moderation/list-queue";
import { queueQuerySchema } from "@/lib/moderation/schemas";

/** GET: the moderation queue (?article, kind, status, reason, author, order, cursor, limit). */
export const GET = handler(async (req: Request) => {
  const moderator = await requireModerator();
  const q = parseQuery(req, queueQuerySchema);
  return json(await listQueue(moderator, q));
});
