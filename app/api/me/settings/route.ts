import { requireUser } from "@/lib/auth/session";
import { handler, json, parseJson } from "@/lib/http/respond";
import { settingsSchema } from "@/lib/users/schemas";
import { getSettings, updateSettings } from "@/lib/users/settings";

/** GET: the caller's settings. */
export const GET = handler(async () => json({ settings: await getSettings(await requireUser()) }));

/** PATCH {researchOptOut?, notifyReplies?, notifyFollowed?, notifyModeration?, autoFollow?}: changes those settings. */
export const PATCH = handler(async (req: Request) => {
  const user = await requireUser();
  const input = await parseJson(req, settingsSchema);
  return json({ settings: await updateSettings(user, input) });
});
