import { redirect } from "next/navigation";
import type { CurrentUser } from "@/lib/auth/session";
import { canResearch } from "@/lib/auth/permissions";
import { currentUser } from "@/app/_components/moderation/current-user";

/** Signed out -> sign in and come back; signed in without the role -> null ("no access"). */
export async function researchersOnly(path: string): Promise<CurrentUser | null> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return canResearch(user) ? user : null;
}
