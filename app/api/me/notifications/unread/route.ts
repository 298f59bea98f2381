import { getCurrentUser } from "@/lib/auth/session";
import { handler, json } from "@/lib/http/respond";
import { countUnread } from "@/lib/notifications/list-notifications";

/**
 * GET: how many of the caller's notifications are unread (the header's bell, which asks every 30 s).
 * Signed out it answers 0, not 401: a page whose session has just ended is not an error.
 */
export const GET = handler(async () => {
  const user = await getCurrentUser();
  return json(user ? { unread: await countUnread(user), signedIn: true } : { unread: 0, signedIn: false });
});
