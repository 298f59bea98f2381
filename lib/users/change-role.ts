import { canManageUsers } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { forbidden, notFound } from "@/lib/http/errors";
import { appendLog } from "@/lib/audit/append-log";
import { assertNotLastAdmin } from "./admin-guard";

export async function changeRole(admin: CurrentUser, userId: string, role: Role): Promise<{ id: string; role: Role }> {
  if (!canManageUsers(admin)) throw forbidden("Only admins can change roles.");
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
    if (!user) throw notFound("User");
    if (user.role === role) return { id: user.id, role };
    if (user.role === "ADMIN") await assertNotLastAdmin(tx, user.id);
    await tx.user.update({ where: { id: userId }, data: { role } });
    await appendLog(tx, {
      actorId: admin.id,
      action: "ROLE_CHANGE",
      targetUserId: userId,
      details: { from: user.role, to: role },
    });
    return { id: userId, role };
  });
}
