import { describe, expect, it } from "vitest";
import { canContribute, canDeleteContribution, canEditContribution, canReadHistory } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";

const author: CurrentUser = { id: "11111111-1111-4111-8111-111111111111", name: "Author", role: "READER" };
const other: CurrentUser = { id: "22222222-2222-4222-8222-222222222222", name: "Other", role: "READER" };
const moderator: CurrentUser = { id: "33333333-3333-4333-8333-333333333333", name: "Mod", role: "MODERATOR" };

const live = { authorId: author.id, deletedAt: null };
const deleted = { authorId: author.id, deletedAt: new Date("2026-01-01T00:00:00Z") };

describe.each([
  ["canEditContribution", canEditContribution],
  ["canDeleteContribution", canDeleteContribution],
])("%s", (_name, can) => {
  it("lets the author change their own contribution", () => {
    expect(can(author, live)).toBe(true);
  });

  it("refuses another reader", () => {
    expect(can(other, live)).toBe(false);
  });

  it("refuses a moderator (moderation is a separate action, not an edit)", () => {
    expect(can(moderator, live)).toBe(false);
  });

  it("refuses an anonymous visitor", () => {
    expect(can(null, live)).toBe(false);
  });

  it("refuses everyone, the author included, once the contribution is deleted", () => {
    expect(can(author, deleted)).toBe(false);
    expect(can(other, deleted)).toBe(false);
    expect(can(null, deleted)).toBe(false);
  });
});

describe("canContribute", () => {
  it("needs a signed-in user", () => {
    expect(canContribute(author)).toBe(true);
    expect(canContribute(null)).toBe(false);
  });
});

describe("canReadHistory", () => {
  const published = { ...live, status: "PUBLISHED" };
  const hidden = { ...live, status: "HIDDEN" };

  it("is public for a published contribution", () => {
    for (const u of [null, other, author, moderator]) expect(canReadHistory(u, published)).toBe(true);
  });

  it("is the author's and the moderators' only while it is not published", () => {
    expect(canReadHistory(author, hidden)).toBe(true);
    expect(canReadHistory(moderator, hidden)).toBe(true);
    expect(canReadHistory(other, hidden)).toBe(false);
    expect(canReadHistory(null, hidden)).toBe(false);
  });

  it("is the moderators' only once it is deleted", () => {
    const gone = { ...deleted, status: "PUBLISHED" };
    expect(canReadHistory(moderator, gone)).toBe(true);
    expect(canReadHistory(author, gone)).toBe(false);
    expect(canReadHistory(other, gone)).toBe(false);
  });
});
