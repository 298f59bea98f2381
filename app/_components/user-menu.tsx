"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { hasSessionHint } from "@/lib/auth/session-cookie";
import { useViewer } from "./use-viewer";

const PLACEHOLDER = <span className="h-8 w-40" aria-hidden="true" />;

const loadSignedInMenu = () => import("./signed-in-menu").then((m) => m.SignedInMenu);
// A browser that holds a session fetches the signed-in menu beside its session read, not after it;
// a signed-out reader never fetches it (docs/decisions/0047-session-reader.md).
if (typeof document !== "undefined" && hasSessionHint(document.cookie)) void loadSignedInMenu();
const SignedInMenu = dynamic(loadSignedInMenu, { loading: () => PLACEHOLDER });

/** Where signing in or up should bring the reader back to: this page (not the auth pages themselves). */
function returnQuery(pathname: string | null): string {
  if (!pathname || pathname === "/" || pathname.startsWith("/signin") || pathname.startsWith("/signup")) return "";
  return `?callbackUrl=${encodeURIComponent(pathname)}`;
}

export function UserMenu() {
  const { viewer, loading } = useViewer();
  const back = returnQuery(usePathname());
  if (loading) return PLACEHOLDER;
  if (viewer) return <SignedInMenu viewer={viewer} />;
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
