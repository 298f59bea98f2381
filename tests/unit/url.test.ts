import { describe, expect, it } from "vitest";
import { createContributionSchema } from "@/lib/annotations/schemas";
import { checkHttpUrl, isSafeHttpUrl, MAX_URL_LENGTH } from "@/lib/text/url";
import { BAD_URLS, GOOD_URLS } from "./bad-urls";

const show = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 60)}…(${s.length} chars)` : s);

function sourceInput(url: string) {
  return {
    anchorId: "p-some-paragraph-abc123",
    versionId: "7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    kind: "SOURCE",
    body: "A source for this claim.",
    selector: { start: 0, end: 4, exact: "Some" },
    source: { url, stance: "SUPPORTS" },
  };
}

describe("checkHttpUrl", () => {
  it("has a long list of hostile and malformed URLs to try", () => {
    expect(BAD_URLS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(BAD_URLS.map((u) => [show(u), u]))("rejects %s", (_label, url) => {
    const r = checkHttpUrl(url);
    expect(r.ok).toBe(false);
    expect(isSafeHttpUrl(url)).toBe(false);
  });

  it.each(GOOD_URLS.map((u) => [show(u), u]))("accepts %s unchanged", (_label, url) => {
    expect(checkHttpUrl(url)).toEqual({ ok: true, url });
  });

  // Invisible Unicode format characters (category Cf) are neither white space nor control
  // characters to the current check, yet they make a stored URL display as something else:
  // a right-to-left override turns ".../\u202Egpj.exe" into ".../exe.jpg" on screen.
  it.each([
    ["right-to-left override", "https://example.com/\u202egpj.exe"],
    ["left-to-right isolate", "https://example.com/\u2066x\u2069"],
    ["zero-width space", "https://exa\u200bmple.com/"],
    ["zero-width joiner", "https://example.com/a\u200db"],
    ["soft hyphen", "https://ex\u00adample.com/"],
    ["word joiner", "https://example.com/\u2060"],
  ])("rejects an invisible formatting character (%s)", (_label, url) => {
    expect(checkHttpUrl(url).ok).toBe(false);
  });

  it("draws the length limit at 2,048 characters", () => {
    const base = "https://example.com/";
    expect(checkHttpUrl(base + "a".repeat(MAX_URL_LENGTH - base.length)).ok).toBe(true);
    expect(checkHttpUrl(base + "a".repeat(MAX_URL_LENGTH - base.length + 1)).ok).toBe(false);
  });

  it("says why a URL was refused", () => {
    expect(checkHttpUrl("javascript:alert(1)")).toEqual({ ok: false, reason: "must start with http:// or https://" });
    expect(checkHttpUrl("http://u:p@example.com")).toEqual({ ok: false, reason: "must not contain a user name or password" });
  });
});

describe("createContributionSchema source.url", () => {
  it.each(BAD_URLS.map((u) => [show(u), u]))("rejects %s with an issue on source.url", (_label, url) => {
    const r = createContributionSchema.safeParse(sourceInput(url));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toContain("source.url");
  });

  it.each(GOOD_URLS.map((u) => [show(u), u]))("accepts %s unchanged", (_label, url) => {
    const r = createContributionSchema.safeParse(sourceInput(url));
    expect(r.error?.issues).toBeUndefined();
    expect(r.data!.source!.url).toBe(url);
  });

  it("rejects a URL that is not a string", () => {
    for (const url of [undefined, null, 42, ["https://example.com"], { href: "https://example.com" }]) {
      expect(createContributionSchema.safeParse(sourceInput(url as unknown as string)).success).toBe(false);
    }
  });
});
