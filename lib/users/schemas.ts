import { z } from "zod";
import { cursorSchema } from "@/lib/http/cursor";

export const ROLES = ["READER", "MODERATOR", "ADMIN", "RESEARCHER"] as const;

export const userSearchSchema = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: cursorSchema.optional(),
});

export const roleChangeSchema = z.object({ role: z.enum(ROLES) });

export const suspendSchema = z.object({
  reason: z
    .string({ error: "is required" })
    .max(1000, "must be at most 1000 characters")
    .refine((s) => s.trim().length > 0, "must not be empty"),
  /** ISO date-time; omitted means indefinitely. */
  until: z.iso
    .datetime({ offset: true, error: "must be a date and time" })
    .optional()
    .refine((v) => !v || new Date(v).getTime() > Date.now(), "must be in the future"),
  hideContributions: z.boolean().default(false),
});

/** A person's own settings (PATCH /api/me/settings). */
/** PATCH /api/me/settings: any of a person's own settings (at least one). */
export const settingsSchema = z
  .object({
    researchOptOut: z.boolean({ error: "must be true or false" }),
    notifyReplies: z.boolean({ error: "must be true or false" }),
    notifyFollowed: z.boolean({ error: "must be true or false" }),
    notifyModeration: z.boolean({ error: "must be true or false" }),
    autoFollow: z.boolean({ error: "must be true or false" }),
    digest: z.enum(["OFF", "DAILY", "WEEKLY"], { error: "must be OFF, DAILY or WEEKLY" }),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, "send at least one setting");
