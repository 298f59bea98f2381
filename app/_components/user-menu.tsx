"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { canModerate, canResearch } from "@/lib/auth/permissions";
import { NotificationsLink } from "./notifications-link";
import { SignOutButton } from "./sign-out-button";
import { useViewer } from "./use-viewer";

/** Where signing in or up should bring the reader back to: this page (not the auth pages themselves). */
function returnQuery(pathname: string | null): string {
  if (!pathname || pathname === "/" || pathname.startsWith("/signin") || pathname.startsWith("/signup")) return "";
  return `?callbackUrl=${encodeURIComponent(pathname)}`;
}

export function UserMenu() {
  const { viewer, loading } = useViewer();
  const back = returnQuery(usePathname());
  if (loading) return <span className="h-8 w-40" aria-hidden="true" />;
  if (viewer) {
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
  return (
    <>
      <Link href={`/signin${back}`} className="text-stone-800 underline-offset-4 hover:underline">
        Sign in
      </Link>
      <Link href={`/signup${back}`} className="rounded bg-stone-900 px-3 py-1.5 font-medium text-white hover:bg-stone-700">
        Sign up
      </Link>
    </>
  );
}
