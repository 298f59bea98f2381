import type { ReactNode } from "react";
import { canManageUsers, canModerate } from "@/lib/auth/permissions";
import { currentUser } from "@/app/_components/current-user";
import { AdminNav } from "./_components/admin-nav";

/**
 * The moderation area. The sub-navigation shows only to moderators and admins; every page
 * checks the role again itself (layouts and pages render independently), and so does the API.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <>
      {canModerate(user) && <AdminNav isAdmin={canManageUsers(user)} />}
      {children}
    </>
  );
}
