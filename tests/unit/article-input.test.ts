import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { excerptOf } from "@/lib/annotations/list-published-by-author";
import { canManageArticles } from "@/lib/auth/permissions";
import { articleInputSchema, articleSourceOf, FRONTMATTER_FIELDS, parseArticleInput } from "@/lib/content/article-input";
import { parseArticle } from "@/lib/content/parse-article";

/** An admin's article becomes an article file's text: whatever the fields hold, the parser reads back exactly them. */

const oneLine = fc.string({ maxLength: 60 }).filter((s) => !/[\r\n\u2028\u2029]/.test(s) && s.isWellFormed());
const paragraph = fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim().length > 0 && !/\n\s*\n/.test(s) && s.isWellFormed());

describe("articleSourceOf + parseArticle", () => {
  it("read back every field as given (trimmed), leave out the empty ones, and split the body as a file's", () => {
    fc.assert(
      fc.property(
        fc.record({ title: oneLine.filter((s) => s.trim().length > 0) }),
        fc.dictionary(fc.constantFrom(...FRONTMATTER_FIELDS.filter((f) => f !== "title")), oneLine),
        fc.array(paragraph, { minLength: 1, maxLength: 5 }),
        (required, optional, paragraphs) => {
          const input = articleInputSchema.parse({ slug: "any-slug", ...required, ...optional, body: paragraphs.join("\n\n") });
          const parsed = parseArticleInput(input);
          const expected = Object.fromEntries(
            Object.entries({ ...optional, ...required }).flatMap(([k, v]) => (v.trim() ? [[k, v.trim()]] : [])),
          );
          expect(parsed.frontmatter).toEqual(expected);
          expect(parsed.paragraphs.map((p) => p.text)).toEqual(paragraphs.map((p) => p.trim().normalize("NFC")));
          // The same text as a file gives the same article, hash included.
          expect(parseArticle("any-slug", articleSourceOf(input))).toEqual(parsed);
        },
      ),
    );
  });

  it("keeps values that look like syntax as text: quotes, colons, ---, #", () => {
    const input = articleInputSchema.parse({ slug: "s", title: '"Quoted": a title', publisher: "---", section: "# not a comment", body: "---\n\nText." });
    const parsed = parseArticleInput(input);
    expect(parsed.frontmatter).toEqual({ title: '"Quoted": a title', publisher: "---", section: "# not a comment" });
    expect(parsed.paragraphs.map((p) => p.text)).toEqual(["---", "Text."]);
  });
});

describe("articleInputSchema", () => {
  it("takes only the parser's fields (and the slug and body)", () => {
    expect(Object.keys(articleInputSchema.shape).sort()).toEqual(["body", "slug", ...FRONTMATTER_FIELDS].sort());
  });
});

describe("excerptOf", () => {
  it("keeps the first three non-empty lines and says whether more follows", () => {
    expect(excerptOf("one\n\ntwo\nthree")).toEqual({ excerpt: "one\ntwo\nthree", truncated: false });
    expect(excerptOf("one\ntwo\nthree\nfour")).toEqual({ excerpt: "one\ntwo\nthree", truncated: true });
  });

  it("never cuts a character in half", () => {
    const { excerpt, truncated } = excerptOf("😀".repeat(500));
    expect(truncated).toBe(true);
    expect([...excerpt]).toHaveLength(400);
    expect(excerpt.isWellFormed()).toBe(true);
  });
});

describe("canManageArticles", () => {
  it("is for admins only", () => {
    expect(canManageArticles({ role: "ADMIN" })).toBe(true);
    for (const role of ["READER", "MODERATOR", "RESEARCHER"]) expect(canManageArticles({ role }), role).toBe(false);
    expect(canManageArticles(null)).toBe(false);
  });
});
