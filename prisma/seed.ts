import type { Db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * Demo accounts for the embedded demo database only (README lists them). Never created
 * when NODE_ENV=production or when the app runs against a PostgreSQL server.
 */
export const DEMO_USERS: { email: string; name: string; role: Role; password: string }[] = [
  { email: "reader@example.org", name: "Demo Reader", role: "READER", password: "reader-password" },
  { email: "moderator@example.org", name: "Demo Moderator", role: "MODERATOR", password: "moderator-password" },
  { email: "admin@example.org", name: "Demo Admin", role: "ADMIN", password: "admin-password" },
  { email: "researcher@example.org", name: "Demo Researcher", role: "RESEARCHER", password: "researcher-password" },
];

export async function seedDemoUsers(db: Db): Promise<string[]> {
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    const exists = await db.user.findUnique({ where: { email: u.email }, select: { id: true } });
    if (exists) continue;
    await db.user.create({
      // Demo accounts count as verified: no mail is needed to try the app.
      data: { email: u.email, name: u.name, role: u.role, passwordHash: await hashPassword(u.password), emailVerifiedAt: new Date() },
    });
    created.push(u.email);
  }
  return created;
}
