import { describe, expect, it } from "vitest";
import { canAppeal, canFlag, canManageUsers, canModerate } from "@/lib/auth/permissions";
import { Role } from "@/lib/generated/prisma/enums";
import { user } from "./fixtures/users";

/** Who may moderate, manage people, flag and appeal: the rules the domain functions call. */

const reader = user("READER", 1);
const author = user("READER", 2);
const moderator = user("MODERATOR", 3);
const admin = user("ADMIN", 4);
const researcher = user("RESEARCHER", 5);

describe("canModerate", () => {
  it.each([
    ["READER", false],
    ["RESEARCHER", false],
    ["MODERATOR", true],
    ["ADMIN", true],
  ] as const)("%s -> %s", (role, expected) => {
    expect(canModerate({ role })).toBe(expected);
  });

  it("refuses an anonymous visitor", () => {
    expect(canModerate(null)).toBe(false);
  });

  it("covers every role of the database enum", () => {
    const decided = ["READER", "RESEARCHER", "MODERATOR", "ADMIN"];
    expect(Object.values(Role).sort()).toEqual(decided.sort());
  });
});

describe("canManageUsers", () => {
  it("is for admins only (not moderators, researchers, readers or visitors)", () => {
    expect(canManageUsers(admin)).toBe(true);
    for (const u of [moderator, researcher, reader]) expect(canManageUsers(u), u.role).toBe(false);
    expect(canManageUsers(null)).toBe(false);
  });
});

describe("canFlag", () => {
  const live = { authorId: author.id, deletedAt: null };

  it("lets any signed-in user flag someone else's contribution, moderators included", () => {
    for (const u of [reader, moderator, admin, researcher]) expect(canFlag(u, live), u.role).toBe(true);
  });

  it("refuses the author (no flagging your own) and anonymous visitors", () => {
    expect(canFlag(author, live)).toBe(false);
    expect(canFlag(null, live)).toBe(false);
  });

  it("refuses a deleted contribution", () => {
    expect(canFlag(reader, { ...live, deletedAt: new Date() })).toBe(false);
  });
});

describe("canAppeal", () => {
  const c = (status: string, extra: Partial<{ hasAppeal: boolean; deletedAt: Date | null }> = {}) => ({
    authorId: author.id,
    deletedAt: null,
    status,
    hasAppeal: false,
    ...extra,
  });

  it("lets the author appeal a hidden or rejected contribution", () => {
    expect(canAppeal(author, c("HIDDEN"))).toBe(true);
    expect(canAppeal(author, c("REJECTED"))).toBe(true);
  });

  it("refuses a published or pending contribution: there is nothing to appeal", () => {
    expect(canAppeal(author, c("PUBLISHED"))).toBe(false);
    expect(canAppeal(author, c("PENDING"))).toBe(false);
  });

  it("allows one appeal only", () => {
    expect(canAppeal(author, c("HIDDEN", { hasAppeal: true }))).toBe(false);
  });

  it("refuses anyone but the author, moderators and admins included", () => {
    for (const u of [reader, moderator, admin]) expect(canAppeal(u, c("HIDDEN")), u.role).toBe(false);
    expect(canAppeal(null, c("HIDDEN"))).toBe(false);
  });

  it("refuses a deleted contribution", () => {
    expect(canAppeal(author, c("HIDDEN", { deletedAt: new Date() }))).toBe(false);
  });
});
