import { z } from "zod";
import { cursorSchema } from "@/lib/http/cursor";

export const notificationsQuerySchema = z.object({ cursor: cursorSchema.optional() });

/** POST /api/me/notifications/read: these (your own), or all of them. */
export const markReadSchema = z.union(
  [
    z.object({ ids: z.array(z.uuid("is not a valid id")).min(1, "name at least one").max(100, "at most 100 at once") }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ],
  { error: "send {ids: [...]} or {all: true}" },
);
