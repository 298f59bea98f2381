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
export const settingsSchema = z.object({ researchOptOut: z.boolean() }).strict();
