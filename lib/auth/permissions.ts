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
