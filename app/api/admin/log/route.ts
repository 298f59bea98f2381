import { requireModerator } from "@/lib/auth/session";
import { handler, json, parseQuery } from "@/lib/http/respond";
import { listLog } from "@/lib/moderation/list-log";
import { logQuerySchema } from "@/lib/moderation/schemas";

/** GET: the audit log, newest first (?action, contribution, actor, target, cursor, limit). */
export const GET = handler(async (req: Request) => {
  const moderator = await requireModerator();
  const q = parseQuery(req, logQuerySchema);
  return json(await listLog(moderator, q));
});
