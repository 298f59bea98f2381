import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { z } from "zod";
import type { settingsSchema } from "./schemas";

/** A person's own settings: research exports, and what they are told of and how (docs/decisions/0041). */
export interface SettingsDto {
  researchOptOut: boolean;
  notifyReplies: boolean;
  notifyFollowed: boolean;
  notifyModeration: boolean;
  autoFollow: boolean;
  /** Email digests of unread notifications; OFF is also what the one-click unsubscribe sets. */
  digest: "OFF" | "DAILY" | "WEEKLY";
}

const select = {
  researchOptOut: true,
  notifyReplies: true,
  notifyFollowed: true,
  notifyModeration: true,
  autoFollow: true,
  digestEmails: true,
  digestFrequency: true,
} as const;

type Row = { researchOptOut: boolean; notifyReplies: boolean; notifyFollowed: boolean; notifyModeration: boolean; autoFollow: boolean; digestEmails: boolean; digestFrequency: string };

function dto({ digestEmails, digestFrequency, ...rest }: Row): SettingsDto {
  return { ...rest, digest: digestEmails ? (digestFrequency === "DAILY" ? "DAILY" : "WEEKLY") : "OFF" };
}

export async function getSettings(user: CurrentUser): Promise<SettingsDto> {
  const db = await getDb();
  return dto(await db.user.findUniqueOrThrow({ where: { id: user.id }, select }));
}

/** Changes the settings given, leaves the others. */
export async function updateSettings(user: CurrentUser, input: z.infer<typeof settingsSchema>): Promise<SettingsDto> {
  const db = await getDb();
  const { digest, ...rest } = input;
  const data = { ...rest, ...(digest ? (digest === "OFF" ? { digestEmails: false } : { digestEmails: true, digestFrequency: digest }) : {}) };
  return dto(await db.user.update({ where: { id: user.id }, data, select }));
}
