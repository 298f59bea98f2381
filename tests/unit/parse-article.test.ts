import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anchorIdFor } from "@/lib/content/anchors";
import { ArticleParseError, parseArticle } from "@/lib/content/parse-article";

const ARTICLES_DIR = path.join(process.cwd(), "content", "articles");
// The page the article was taken from, as captured (with the site's chrome around it).
const SOURCE_PAGE = path.join(import.meta.dirname, "fixtures", "moscow-times-page.txt");
const CHROME = [
  "Support The Moscow Times!",
  "Sign up for our free weekly newsletter",
  "A Message from The Moscow Times",
  "Remind me later",
];

const files = readdirSync(ARTICLES_DIR).filter((f) => f.endsWith(".md"));

describe("parseArticle on content/articles", () => {
  it("finds the article file", () => {
    expect(files).toContain("western-hostility-to-russian-exiles-plays-into-putins-hands.md");
  });

  for (const file of files) {
    const slug = file.replace(/\.md$/, "");
    const source = readFileSync(path.join(ARTICLES_DIR, file), "utf8");
    const article = parseArticle(slug, source);

    it(`${slug}: has 24 paragraphs, each verbatim in the source text and in the same order`, () => {
      expect(article.paragraphs).toHaveLength(24);
      const page = readFileSync(SOURCE_PAGE, "utf8");
      let from = 0;
      article.paragraphs.forEach((p, i) => {
        expect(p.position).toBe(i);
        const at = page.indexOf(p.text, from);
        expect(at, `paragraph ${i} is not verbatim in the source after offset ${from}: ${p.text.slice(0, 60)}…`).toBeGreaterThanOrEqual(from);
        from = at + p.text.length;
      });
    });

    it(`${slug}: keeps the page chrome (donation and newsletter boxes) out`, () => {
      const page = readFileSync(SOURCE_PAGE, "utf8");
      for (const chrome of CHROME) expect(page, "the captured page has the chrome").toContain(chrome);
      const everything = [...article.paragraphs.map((p) => p.text), ...Object.values(article.frontmatter)].join("\n");
      for (const chrome of CHROME) expect(everything).not.toContain(chrome);
    });

    it(`${slug}: has frontmatter and unique anchors derived from each paragraph's text`, () => {
      expect(article.frontmatter.title).toBe("Western Hostility to Russian Exiles Plays into Putin’s Hands");
      const ids = article.paragraphs.map((p) => p.anchorId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of article.paragraphs) expect(p.anchorId).toBe(anchorIdFor(p.text));
      expect(article.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it(`${slug}: parses to the same result every time`, () => {
      expect(parseArticle(slug, source)).toEqual(article);
    });
  }
});

describe("parseArticle", () => {
  const src = (body: string, fm = 'title: "A title"\nsection: Opinion') => `---\n${fm}\n---\n${body}`;

  it("splits paragraphs on blank lines, trims them, and accepts CRLF", () => {
    const a = parseArticle("t", src("First line\n\n\n  Second  paragraph  \n \nThird").replace(/\n/g, "\r\n"));
    expect(a.paragraphs.map((p) => p.text)).toEqual(["First line", "Second  paragraph", "Third"]);
    expect(a.frontmatter).toEqual({ title: "A title", section: "Opinion" });
  });

  it("changes contentHash when a paragraph changes, but not for white-space-only edits", () => {
    const a = parseArticle("t", src("One two.\n\nThree."));
    expect(parseArticle("t", src("One  two.\n\nThree.")).contentHash).toBe(a.contentHash);
    expect(parseArticle("t", src("One two!\n\nThree.")).contentHash).not.toBe(a.contentHash);
  });

  it("rejects a file without frontmatter, without a title, or without paragraphs", () => {
    expect(() => parseArticle("t", "just text")).toThrow(ArticleParseError);
    expect(() => parseArticle("t", src("Body", "section: x"))).toThrow(ArticleParseError);
    expect(() => parseArticle("t", src("\n\n"))).toThrow(ArticleParseError);
  });
});
