import { z } from "zod";
import { fieldError } from "@/lib/http/errors";
import { ArticleParseError, frontmatterSchema, parseArticle, type Frontmatter, type ParsedArticle } from "./parse-article";

/**
 * What an admin sends to add an article (POST /api/admin/articles): a slug, the frontmatter
 * fields the file parser knows (lib/content/parse-article.ts; only the title is required, the
 * rest are left out when empty, never made up) and the body as in content/articles/*.md
 * (paragraphs separated by blank lines). It becomes an article file's text and goes through
 * parseArticle, so an added article and a file article are stored and read the same way.
 */

export const SLUG_MAX = 100;
export const BODY_MAX = 200_000;
export const PARAGRAPHS_MAX = 1000;

export const slugSchema = z
  .string({ error: "is required" })
  .max(SLUG_MAX, `must be at most ${SLUG_MAX} characters`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters, digits and single hyphens (e.g. my-article-2026)");

/** One line of text, trimmed; empty means "not given". */
const line = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\r\n\u2028\u2029]/.test(s), "must be one line")
    .transform((s) => s.trim());

/** The frontmatter fields, in the order the parser's schema lists them. */
export const FRONTMATTER_FIELDS = Object.keys(frontmatterSchema.shape) as (keyof Frontmatter)[];

export const articleInputSchema = z
  .object({
    slug: slugSchema,
    title: line(300).refine((s) => s.length > 0, "must not be empty"),
    publisher: line(200).optional(),
    section: line(200).optional(),
    author: line(300).optional(),
    date: line(100).optional(),
    caption: line(1000).optional(),
    credit: line(300).optional(),
    note: line(2000).optional(),
    body: z
      .string({ error: "is required" })
      .max(BODY_MAX, `must be at most ${BODY_MAX.toLocaleString("en")} characters`)
      .refine((s) => s.trim().length > 0, "must not be empty"),
  })
  .strict();

export type ArticleInput = z.infer<typeof articleInputSchema>;

/** The article file an admin's input stands for: `key: "JSON string"` frontmatter lines, then the body. */
export function articleSourceOf(input: ArticleInput): string {
  const lines = FRONTMATTER_FIELDS.flatMap((k) => {
    const v = input[k];
    return v ? [`${k}: ${JSON.stringify(v)}`] : [];
  });
  return `---\n${lines.join("\n")}\n---\n\n${input.body.replace(/\r\n?/g, "\n").trim()}\n`;
}

/** The input parsed exactly as a file in content/ would be (422 naming the field on a problem). */
export function parseArticleInput(input: ArticleInput): ParsedArticle {
  let parsed: ParsedArticle;
  try {
    parsed = parseArticle(input.slug, articleSourceOf(input));
  } catch (err) {
    if (err instanceof ArticleParseError) throw fieldError("body", err.message.replace(`${input.slug}: `, ""));
    throw err;
  }
  if (parsed.paragraphs.length > PARAGRAPHS_MAX) throw fieldError("body", `must have at most ${PARAGRAPHS_MAX} paragraphs`);
  return parsed;
}
