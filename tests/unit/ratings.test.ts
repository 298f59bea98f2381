import { describe, expect, it } from "vitest";
import { canRate } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { rateSchema } from "@/lib/ratings/schemas";

const author: CurrentUser = { id: "11111111-1111-4111-8111-111111111111", name: "Author", role: "READER" };
const reader: CurrentUser = { id: "22222222-2222-4222-8222-222222222222", name: "Reader", role: "READER" };
const published = { authorId: author.id, deletedAt: null, status: "PUBLISHED" };

describe("canRate", () => {
  it("lets a signed-in reader rate someone else's published contribution", () => {
    expect(canRate(reader, published)).toBe(true);
  });
  it("refuses the author, anonymous visitors, and unpublished or deleted contributions", () => {
    expect(canRate(author, published)).toBe(false);
    expect(canRate(null, published)).toBe(false);
    for (const status of ["PENDING", "HIDDEN", "REJECTED"]) expect(canRate(reader, { ...published, status })).toBe(false);
    expect(canRate(reader, { ...published, deletedAt: new Date() })).toBe(false);
  });
});

describe("rateSchema", () => {
  const issues = (v: unknown) => {
    const r = rateSchema.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("takes a value with reasons that point the same way (tags default to none)", () => {
    expect(rateSchema.parse({ value: "HELPFUL" })).toEqual({ value: "HELPFUL", tags: [] });
    expect(issues({ value: "HELPFUL", tags: ["CLEAR", "CITES_GOOD_SOURCES"] })).toEqual([]);
    expect(issues({ value: "NOT_HELPFUL", tags: ["MISLEADING"] })).toEqual([]);
    expect(issues({ value: "SOMEWHAT_HELPFUL", tags: ["CLEAR", "ARGUMENTATIVE"] })).toEqual([]);
  });
  it("refuses unknown values and tags, repeated tags, tags of the other direction and extra fields", () => {
    expect(issues({ value: "LOVE" })[0]).toMatch(/^value:/);
    expect(issues({ value: "HELPFUL", tags: ["FUNNY"] })[0]).toMatch(/^tags\.0:/);
    expect(issues({ value: "HELPFUL", tags: ["CLEAR", "CLEAR"] })).toEqual(["tags: must not repeat a reason"]);
    expect(issues({ value: "HELPFUL", tags: ["MISLEADING"] })).toEqual(["tags: MISLEADING does not go with HELPFUL"]);
    expect(issues({ value: "NOT_HELPFUL", tags: ["CLEAR"] })).toEqual(["tags: CLEAR does not go with NOT_HELPFUL"]);
    expect(issues({ value: "HELPFUL", weight: 10 }).length).toBe(1);
    expect(issues({})[0]).toMatch(/^value:/);
  });
});
