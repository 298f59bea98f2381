import { describe, expect, it } from "vitest";
import { findUnstorableText, parseJson } from "@/lib/http/respond";
import { z } from "zod";

/**
 * PostgreSQL refuses NUL in text (the request would end in a 500) and stores half a surrogate
 * pair as U+FFFD (silently changing what the user sent): every JSON body is checked first.
 */
describe("text PostgreSQL cannot store as sent", () => {
  it("finds a NUL character and names its field", () => {
    expect(findUnstorableText({ body: "a\u0000b" })).toEqual({ field: "body", message: "must not contain a NUL character (U+0000)" });
    expect(findUnstorableText({ source: { title: "\u0000" } })?.field).toBe("source.title");
    expect(findUnstorableText({ items: ["ok", "x\u0000"] })?.field).toBe("items.1");
  });

  it("finds half of a surrogate pair, at either end or alone", () => {
    for (const bad of ["\ud83d", "a\ude00", "\ude00b", "x\ud83dy"]) {
      expect(findUnstorableText({ body: bad })?.message).toMatch(/lone UTF-16 surrogate/);
    }
  });

  it("accepts whole characters: emoji, flags, RTL text, combining marks", () => {
    expect(findUnstorableText({ body: "😀 🇺🇦 שלום مرحبا e\u0301", n: 1, b: true, z: null, list: [{ a: "👩‍👩‍👧" }] })).toBeNull();
  });

  it("parseJson answers 422 with the field and never reaches the schema", async () => {
    const req = new Request("http://x/", { method: "POST", body: JSON.stringify({ body: "nul\u0000" }) });
    const err = await parseJson(req, z.object({ body: z.string() })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "validation", details: { fields: [{ field: "body" }] } });
  });
});
