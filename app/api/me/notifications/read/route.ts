import { requireUser } from "@/lib/auth/session";
import { handler, json, parseJson } from "@/lib/http/respond";
import { markRead } from "@/lib/notifications/mark-read";
import { markReadSchema } from "@/lib/notifications/schemas";

/** POST {ids} or {all: true}: marks the caller's notifications read. */
export const POST = handler(async (req: Request) => {
  const user = await requireUser();
  const input = await parseJson(req, markReadSchema);
  return json(await markRead(user, input));
});
