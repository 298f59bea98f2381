import type { CurrentUser } from "./session";

/**
 * Every rule of who may do what, as plain functions: unit-testable, called on the server for every
 * action (lib/ functions, the require* helpers in ./session.ts, page gates) and by the UI to decide
 * what to show. Nothing else compares roles or owners: a new rule is a new function here.
 */

interface OwnedContribution {
  authorId: string;
  deletedAt: Date | null;
}

type RoleHolder = { role: string } | null;

const isAdmin = (user: RoleHolder) => user !== null && user.role === "ADMIN";

// --- Contributions --------------------------------------------------------------------------

/** Any signed-in (and not suspended: getCurrentUser drops those) user may contribute. */
export function canContribute(user: CurrentUser | null): user is CurrentUser {
  return user !== null;
}

/** Posting; a deployment may require a confirmed email address first (REQUIRE_VERIFIED_EMAIL_TO_POST). */
export function canPost(user: CurrentUser | null, requireVerifiedEmail: boolean): user is CurrentUser {
  return user !== null && (!requireVerifiedEmail || user.emailVerified === true);
}

export function canEditContribution(user: CurrentUser | null, c: OwnedContribution): boolean {
  return user !== null && c.deletedAt === null && c.authorId === user.id;
}

export function canDeleteContribution(user: CurrentUser | null, c: OwnedContribution): boolean {
  return user !== null && c.deletedAt === null && c.authorId === user.id;
}

/** A signed-in reader may flag someone else's contribution. */
export function canFlag(user: CurrentUser | null, c: OwnedContribution): boolean {
  return user !== null && c.deletedAt === null && c.authorId !== user.id;
}

/** A signed-in reader may rate someone else's published, undeleted contribution (or reply). */
export function canRate(user: CurrentUser | null, c: OwnedContribution & { status: string }): boolean {
  return user !== null && c.deletedAt === null && c.status === "PUBLISHED" && c.authorId !== user.id;
}

/**
 * A contribution's edit history is as readable as the contribution: anyone for a published one,
 * its author in any status, moderators always (they judge edits); nobody once it is deleted
 * except moderators.
 */
export function canReadHistory(user: CurrentUser | null, c: OwnedContribution & { status: string }): boolean {
  if (canModerate(user)) return true;
  if (c.deletedAt !== null) return false;
  return c.status === "PUBLISHED" || (user !== null && c.authorId === user.id);
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

// --- Moderation and administration ----------------------------------------------------------

/** Moderators and admins work the queue, decide appeals and read the audit log. */
export function canModerate(user: RoleHolder): boolean {
  return user !== null && (user.role === "MODERATOR" || user.role === "ADMIN");
}

/** Admins change roles, suspend people and set an article's moderation policy. */
export function canManageUsers(user: RoleHolder): boolean {
  return isAdmin(user);
}

/** Admins add articles at /admin/articles (besides the files in content/). */
export function canManageArticles(user: RoleHolder): boolean {
  return isAdmin(user);
}

// --- Research -------------------------------------------------------------------------------

/** Researchers and admins may create studies, tokens and exports. */
export function canResearch(user: RoleHolder): boolean {
  return user !== null && (user.role === "RESEARCHER" || user.role === "ADMIN");
}

/** Only admins may export what readers could not see (pending, hidden, rejected). */
export function canExportUnpublished(user: RoleHolder): boolean {
  return isAdmin(user);
}

/** Admins see every researcher's studies and exports; a researcher sees their own. */
export function canSeeAllResearch(user: RoleHolder): boolean {
  return isAdmin(user);
}

/** A study is used (listed, exported with) by its owner or an admin; operators' studies have no owner. */
export function canUseStudy(user: CurrentUser | null, study: { ownerId: string | null }): boolean {
  return user !== null && canResearch(user) && (canSeeAllResearch(user) || study.ownerId === user.id);
}

/** An export's status, manifest and bundle are for whoever asked for it, and admins. */
export function canViewExport(user: CurrentUser | null, job: { requestedById: string | null }): boolean {
  return user !== null && canResearch(user) && (canSeeAllResearch(user) || job.requestedById === user.id);
}

/** What a bearer token of a scope may do: `export` lists, reads and creates; `export:read` only reads. */
export function canTokenScope(scope: "export" | "export:read", need: "read" | "create"): boolean {
  return need === "read" || scope === "export";
}
