"use client";

import Link from "next/link";
import { canModerate, canResearch } from "@/lib/auth/permissions";
import { NotificationsLink } from "./notifications-link";
import { SignOutButton } from "./sign-out-button";
import type { Viewer } from "./use-viewer";

/**
 * The header's links for a signed-in reader. Its own chunk (./user-menu.tsx loads it), so a
 * signed-out reader's first load does not carry the bell, its stream and sign-out
 * (docs/decisions/0047-session-reader.md).
 */
export function SignedInMenu({ viewer }: { viewer: Viewer }) {
  return (
    <>
      {canModerate(viewer) && (
        <Link href="/admin" className="text-stone-800 underline-offset-4 hover:underline">
          Moderation
        </Link>
      )}
      {canResearch(viewer) && (
        <Link href="/research" className="text-stone-800 underline-offset-4 hover:underline">
          Research
        </Link>
      )}
      <NotificationsLink />
      <Link href="/me/contributions" className="text-stone-800 underline-offset-4 hover:underline">
        My contributions
      </Link>
      <Link href="/me/settings" className="text-stone-800 underline-offset-4 hover:underline">
        Settings
      </Link>
      <span className="text-stone-700">
        Signed in as <span className="font-medium text-stone-900">{viewer.name}</span>
      </span>
      <SignOutButton />
    </>
  );
}
