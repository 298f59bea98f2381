import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { z } from "zod";
import type { settingsSchema } from "./schemas";

/** A person's own settings: research exports, and what they are told of (docs/decisions/0041). */
export interface SettingsDto {
  researchOptOut: boolean;
  notifyReplies: boolean;
  notifyFollowed: boolean;
  notifyModeration: boolean;
  autoFollow: boolean;
}

const select = { researchOptOut: true, notifyReplies: true, notifyFollowed: true, notifyModeration: true, autoFollow: true } as const;

export async function getSettings(user: CurrentUser): Promise<SettingsDto> {
  const db = await getDb();
  return db.user.findUniqueOrThrow({ where: { id: user.id }, select });
}

/** Changes the settings given, leaves the others. */
export async function updateSettings(user: CurrentUser, input: z.infer<typeof settingsSchema>): Promise<SettingsDto> {
  const db = await getDb();
  return db.user.update({ where: { id: user.id }, data: input, select });
}
