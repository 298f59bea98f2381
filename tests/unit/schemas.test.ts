import { describe, expect, it } from "vitest";
import {
  bodySchema,
  createContributionSchema,
  listQuerySchema,
  MAX_BODY,
  updateContributionSchema,
} from "@/lib/annotations/schemas";
import { STATUS } from "@/lib/http/errors";

const base = {
  anchorId: "p-some-paragraph-abc123",
  versionId: "7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  kind: "ANNOTATION",
  body: "A careful note.",
  selector: { start: 0, end: 4, exact: "Some" },
};

const issuePaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.path.join("."));

describe("contribution body", () => {
  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["new lines and tabs", "\n\t \r\n"],
    ["non-breaking spaces", "\u00a0\u00a0"],
  ])("rejects a body that is only white space (%s)", (_label, body) => {
    expect(bodySchema.safeParse(body).success).toBe(false);
    expect(issuePaths(createContributionSchema.safeParse({ ...base, body }))).toContain("body");
  });

  it("accepts 5,000 characters and rejects 5,001", () => {
    expect(MAX_BODY).toBe(5000);
    expect(bodySchema.safeParse("x".repeat(5000)).success).toBe(true);
    expect(bodySchema.safeParse("x".repeat(5001)).success).toBe(false);
    expect(createContributionSchema.safeParse({ ...base, body: "x".repeat(5000) }).success).toBe(true);
    expect(issuePaths(createContributionSchema.safeParse({ ...base, body: "x".repeat(5001) }))).toContain("body");
    expect(issuePaths(updateContributionSchema.safeParse({ version: 1, body: "x".repeat(5001) }))).toContain("body");
  });

  it("keeps the body verbatim (markup is stored raw and escaped when rendered)", () => {
    const body = "  <script>alert(1)</script>\n**bold**  ";
    expect(createContributionSchema.parse({ ...base, body }).body).toBe(body);
  });

  it("rejects a missing or non-string body", () => {
    for (const body of [undefined, null, 5, ["x"]]) {
      expect(issuePaths(createContributionSchema.safeParse({ ...base, body }))).toContain("body");
    }
  });
});

describe("createContributionSchema", () => {
  it("requires a source for SOURCE and refuses one for other kinds", () => {
    expect(issuePaths(createContributionSchema.safeParse({ ...base, kind: "SOURCE" }))).toContain("source");
    const source = { url: "https://example.com", stance: "CONTEXT" };
    expect(issuePaths(createContributionSchema.safeParse({ ...base, source }))).toContain("source");
    expect(createContributionSchema.safeParse({ ...base, kind: "SOURCE", source }).success).toBe(true);
  });

  it("rejects unknown kinds and stances, bad version ids and negative offsets", () => {
    expect(issuePaths(createContributionSchema.safeParse({ ...base, kind: "COMMENT" }))).toContain("kind");
    expect(issuePaths(createContributionSchema.safeParse({ ...base, versionId: "1" }))).toContain("versionId");
    expect(issuePaths(createContributionSchema.safeParse({ ...base, selector: { ...base.selector, start: -1 } }))).toContain(
      "selector.start",
    );
    expect(
      issuePaths(
        createContributionSchema.safeParse({ ...base, kind: "SOURCE", source: { url: "https://example.com", stance: "MAYBE" } }),
      ),
    ).toContain("source.stance");
  });
});

describe("listQuerySchema", () => {
  it("defaults to 20 per page and caps the limit at 50", () => {
    expect(listQuerySchema.parse({}).limit).toBe(20);
    expect(listQuerySchema.safeParse({ limit: "51" }).success).toBe(false);
    expect(listQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
  });

  it("only lets base64url cursors through", () => {
    expect(listQuerySchema.safeParse({ cursor: "abc_DEF-123" }).success).toBe(true);
    expect(listQuerySchema.safeParse({ cursor: "a b" }).success).toBe(false);
    expect(listQuerySchema.safeParse({ cursor: "a'; DROP TABLE x;--" }).success).toBe(false);
  });
});

describe("error codes", () => {
  it("map to the documented HTTP statuses", () => {
    expect(STATUS).toMatchObject({
      validation: 422,
      unauthenticated: 401,
      forbidden: 403,
      not_found: 404,
      stale: 409,
      conflict: 409,
    });
  });
});
