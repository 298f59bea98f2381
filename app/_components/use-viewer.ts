"use client";

import { useSession } from "next-auth/react";

export interface Viewer {
  id: string;
  name: string;
  role: string;
  /** False until the email address is confirmed (the banner in the layout). */
  emailVerified?: boolean;
}

/** The signed-in user as the session endpoint reports it (re-read from the database), or null. */
export function useViewer(): { viewer: Viewer | null; loading: boolean } {
  const { data, status } = useSession();
  const u = data?.user as Partial<Viewer> | undefined;
  const viewer = u?.id && u.name && u.role ? { id: u.id, name: u.name, role: u.role, emailVerified: u.emailVerified } : null;
  return { viewer, loading: status === "loading" };
}
