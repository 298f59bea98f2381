import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { z } from "zod";
import type { markReadSchema } from "./schemas";

/** Marks the caller's own notifications read (ids of someone else's are ignored); returns the unread count. */
export async function markRead(user: CurrentUser, input: z.infer<typeof markReadSchema>): Promise<{ marked: number }> {
  const db = await getDb();
  const { count } = await db.notification.updateMany({
    where: { userId: user.id, readAt: null, ...("ids" in input ? { id: { in: input.ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { marked: count };
}
