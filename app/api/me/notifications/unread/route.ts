import { requireUser } from "@/lib/auth/session";
import { handler, json } from "@/lib/http/respond";
import { countUnread } from "@/lib/notifications/list-notifications";

/** GET: how many of the caller's notifications are unread (the bell). */
export const GET = handler(async () => {
  const user = await requireUser();
  return json({ unread: await countUnread(user) });
});
