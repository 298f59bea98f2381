// npm run user:create -- --email a@b.org --name "Ann" --role ADMIN [--password-env VAR]
// Creates an account, or sets the role of an existing one; the operator's way to make the
// first admin of a deployment. The password is read from the environment variable named by
// --password-env (default NEW_USER_PASSWORD), never from the command line. The change is
// written to the audit log (actor: none, i.e. the operator).
import { parseArgs } from "node:util";
import { hashPassword } from "@/lib/auth/password";
import { signUpSchema } from "@/lib/auth/schemas";
import { closeDb, getDb } from "@/lib/db/client";
import { appendLog } from "@/lib/audit/append-log";
import { ROLES } from "@/lib/users/schemas";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "READER" },
    "password-env": { type: "string", default: "NEW_USER_PASSWORD" },
  },
});

try {
  const role = values.role as (typeof ROLES)[number];
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
  const db = await getDb();
  const email = String(values.email ?? "").trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email }, select: { id: true, role: true } });
  await db.$transaction(async (tx) => {
    let id = existing?.id;
    if (!existing) {
      const password = process.env[values["password-env"]!] ?? "";
      const input = signUpSchema.parse({ name: values.name ?? email.split("@")[0], email, password });
      const user = await tx.user.create({
        // An operator vouches for the address: the account counts as verified.
        data: { email: input.email, name: input.name, role, passwordHash: await hashPassword(input.password), emailVerifiedAt: new Date() },
        select: { id: true },
      });
      id = user.id;
      console.log(`[user:create] created ${email} as ${role}`);
    } else if (existing.role !== role) {
      await tx.user.update({ where: { id: existing.id }, data: { role } });
      console.log(`[user:create] ${email}: role ${existing.role} -> ${role}`);
    } else {
      console.log(`[user:create] ${email} is already ${role}`);
      return;
    }
    await appendLog(tx, {
      actorId: null,
      action: "ROLE_CHANGE",
      targetUserId: id!,
      details: { from: existing?.role ?? null, to: role, by: "operator (scripts/create-user.mts)" },
    });
  });
} catch (err) {
  console.error(`[user:create] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
