import { describe, expect, it } from "vitest";
import {
  canExportUnpublished,
  canResearch,
  canSeeAllResearch,
  canTokenScope,
  canUseStudy,
  canViewExport,
} from "@/lib/auth/permissions";
import { user } from "./fixtures/users";

/** Who may do research: studies, exports, tokens. */

const reader = user("READER", 1);
const moderator = user("MODERATOR", 2);
const researcher = user("RESEARCHER", 3);
const otherResearcher = user("RESEARCHER", 4);
const admin = user("ADMIN", 5);

describe.each([
  ["canResearch", canResearch, { READER: false, MODERATOR: false, RESEARCHER: true, ADMIN: true }],
  ["canExportUnpublished", canExportUnpublished, { READER: false, MODERATOR: false, RESEARCHER: false, ADMIN: true }],
  ["canSeeAllResearch", canSeeAllResearch, { READER: false, MODERATOR: false, RESEARCHER: false, ADMIN: true }],
] as const)("%s", (_name, can, expected) => {
  it.each(Object.entries(expected))("%s -> %s", (role, allowed) => {
    expect(can({ role })).toBe(allowed);
  });

  it("refuses an anonymous visitor", () => {
    expect(can(null)).toBe(false);
  });
});

describe("canUseStudy", () => {
  const own = { ownerId: researcher.id };
  const operators = { ownerId: null };

  it("lets the owner use their study", () => {
    expect(canUseStudy(researcher, own)).toBe(true);
  });

  it("refuses another researcher (the study reads as not there)", () => {
    expect(canUseStudy(otherResearcher, own)).toBe(false);
    expect(canUseStudy(otherResearcher, operators)).toBe(false);
  });

  it("lets an admin use any study, an operator's included", () => {
    expect(canUseStudy(admin, own)).toBe(true);
    expect(canUseStudy(admin, operators)).toBe(true);
  });

  it("refuses someone who is no longer a researcher, even on their own study", () => {
    expect(canUseStudy({ ...researcher, role: "READER" }, own)).toBe(false);
    expect(canUseStudy(moderator, { ownerId: moderator.id })).toBe(false);
  });

  it("refuses an anonymous visitor", () => {
    expect(canUseStudy(null, own)).toBe(false);
  });
});

describe("canViewExport", () => {
  const mine = { requestedById: researcher.id };
  const fromCli = { requestedById: null };

  it("lets the requester see their export", () => {
    expect(canViewExport(researcher, mine)).toBe(true);
  });

  it("refuses another researcher and readers", () => {
    expect(canViewExport(otherResearcher, mine)).toBe(false);
    expect(canViewExport(otherResearcher, fromCli)).toBe(false);
    expect(canViewExport(reader, mine)).toBe(false);
  });

  it("lets an admin see every export, the command line's included", () => {
    expect(canViewExport(admin, mine)).toBe(true);
    expect(canViewExport(admin, fromCli)).toBe(true);
  });

  it("refuses a requester who is no longer a researcher", () => {
    expect(canViewExport({ ...researcher, role: "MODERATOR" }, mine)).toBe(false);
  });

  it("refuses an anonymous visitor", () => {
    expect(canViewExport(null, mine)).toBe(false);
  });
});

describe("canTokenScope", () => {
  it("lets both scopes read", () => {
    expect(canTokenScope("export", "read")).toBe(true);
    expect(canTokenScope("export:read", "read")).toBe(true);
  });

  it("lets only scope export create", () => {
    expect(canTokenScope("export", "create")).toBe(true);
    expect(canTokenScope("export:read", "create")).toBe(false);
  });
});
