import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

/** A person's own settings. Today: whether their contributions go into research exports. */
export interface SettingsDto {
  researchOptOut: boolean;
}

export async function getSettings(user: CurrentUser): Promise<SettingsDto> {
  const db = await getDb();
  const u = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { researchOptOut: true } });
  return { researchOptOut: u.researchOptOut };
}

export async function updateSettings(user: CurrentUser, input: SettingsDto): Promise<SettingsDto> {
  const db = await getDb();
  const u = await db.user.update({ where: { id: user.id }, data: { researchOptOut: input.researchOptOut }, select: { researchOptOut: true } });
  return { researchOptOut: u.researchOptOut };
}
