import { redirect } from "next/navigation";
import type { CurrentUser } from "@/lib/auth/session";
import { canManageUsers, canModerate } from "@/lib/auth/permissions";
import { currentUser } from "@/app/_components/moderation/current-user";

/**
 * Who may see an admin page: signed out -> the sign-in page (coming back here after);
 * signed in without the role -> null (the page renders "You don't have access").
 */
export async function staffOnly(path: string, need: "moderator" | "admin"): Promise<CurrentUser | null> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return (need === "admin" ? canManageUsers(user) : canModerate(user)) ? user : null;
}

/** Search params as plain strings (the first of repeated keys), empty values dropped. */
export function flatParams(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined && s !== "") out[k] = s;
  }
  return out;
}

/** A query string from params, without empty ones. */
export function qs(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}
