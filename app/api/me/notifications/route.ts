import { requireUser } from "@/lib/auth/session";
import { handler, json, parseQuery } from "@/lib/http/respond";
import { listNotifications } from "@/lib/notifications/list-notifications";
import { notificationsQuerySchema } from "@/lib/notifications/schemas";

/** GET ?cursor=: the caller's notifications, newest first, with the unread count. */
export const GET = handler(async (req: Request) => {
  const user = await requireUser();
  const { cursor } = parseQuery(req, notificationsQuerySchema);
  return json(await listNotifications(user, cursor));
});
