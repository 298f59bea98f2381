"use client";

import { SessionProvider } from "next-auth/react";
import type { ReactNode } from "react";

/**
 * Who is signed in is known in the browser (from /api/auth/session), so the pages
 * themselves can be cached and served to everyone alike (docs/decisions/0006-cached-pages.md).
 */
export function Providers({ children }: { children: ReactNode }) {
  return <SessionProvider>{children}</SessionProvider>;
}
