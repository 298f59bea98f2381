import { redirect } from "next/navigation";
import type { CurrentUser } from "@/lib/auth/session";
import { canManageArticles, canManageUsers, canModerate, canResearch } from "@/lib/auth/permissions";
import { currentUser } from "@/app/_components/current-user";

const ALLOWED = { moderator: canModerate, admin: canManageUsers, articles: canManageArticles, researcher: canResearch } as const;

/**
 * Who may see a role's page: signed out -> the sign-in page (coming back to `path` after);
 * signed in without the role -> null (the page renders "You don't have access").
 */
export async function pageFor(path: string, need: keyof typeof ALLOWED): Promise<CurrentUser | null> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return ALLOWED[need](user) ? user : null;
}
