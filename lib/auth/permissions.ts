import type { CurrentUser } from "./session";

/** Authorization rules as plain functions: unit-testable, called on the server for every action. */

interface OwnedContribution {
  authorId: string;
  deletedAt: Date | null;
}

export function canContribute(user: CurrentUser | null): user is CurrentUser {
  return user !== null;
}

export function canEditContribution(user: CurrentUser | null, c: OwnedContribution): boolean {
  return user !== null && c.deletedAt === null && c.authorId === user.id;
}

export function canDeleteContribution(user: CurrentUser | null, c: OwnedContribution): boolean {
  return user !== null && c.deletedAt === null && c.authorId === user.id;
}

type RoleHolder = { role: string } | null;

export function canModerate(user: RoleHolder): boolean {
  return user !== null && (user.role === "MODERATOR" || user.role === "ADMIN");
}

export function canManageUsers(user: RoleHolder): boolean {
  return user !== null && user.role === "ADMIN";
}

/** A signed-in reader may flag someone else's contribution. */
export function canFlag(user: CurrentUser | null, c: OwnedContribution): boolean {
  return user !== null && c.deletedAt === null && c.authorId !== user.id;
}

/** A signed-in reader may rate someone else's published, undeleted contribution (or reply). */
export function canRate(user: CurrentUser | null, c: OwnedContribution & { status: string }): boolean {
  return user !== null && c.deletedAt === null && c.status === "PUBLISHED" && c.authorId !== user.id;
}

/** The author may appeal a hide or a reject, once. */
export function canAppeal(
  user: CurrentUser | null,
  c: OwnedContribution & { status: string; hasAppeal: boolean },
): boolean {
  return (
    user !== null &&
    c.deletedAt === null &&
    c.authorId === user.id &&
    (c.status === "HIDDEN" || c.status === "REJECTED") &&
    !c.hasAppeal
  );
}

/** Researchers and admins may create studies and exports. */
export function canResearch(user: RoleHolder): boolean {
  return user !== null && (user.role === "RESEARCHER" || user.role === "ADMIN");
}

/** Only admins may export what readers could not see (pending, hidden, rejected). */
export function canExportUnpublished(user: RoleHolder): boolean {
  return user !== null && user.role === "ADMIN";
}
