import { z } from "zod";
import { articleInputSchema, FRONTMATTER_FIELDS, parseArticleInput } from "./article-input";
import type { Frontmatter, ParsedArticle } from "./parse-article";

/**
 * What an admin sends to revise an article (POST /api/admin/articles/<slug>/revision and its
 * preview): the same fields and markdown body as adding one (lib/content/article-input.ts;
 * the slug is the address and cannot change) plus the version number the edit started from,
 * for optimistic concurrency: a publish based on an older version is refused with 409.
 */
export const revisionInputSchema = articleInputSchema
  .omit({ slug: true })
  .extend({ baseVersion: z.number({ error: "must be a version number" }).int("must be a version number").min(1, "must be a version number") })
  .strict();

export type RevisionInput = z.infer<typeof revisionInputSchema>;

/** The revision parsed exactly as a content/ file would be (422 naming the field on a problem). */
export function parseRevisionInput(slug: string, input: RevisionInput): ParsedArticle {
  const { baseVersion: _base, ...fields } = input;
  return parseArticleInput({ ...fields, slug });
}

/** The editable form of a stored version: its frontmatter fields and its paragraphs joined by blank lines, as the file had them. */
export interface RevisionSource {
  baseVersion: number;
  fields: Record<string, string>;
  body: string;
}

export function revisionSourceOf(version: { number: number; frontmatter: unknown; paragraphs: { text: string }[] }): RevisionSource {
  const fm = version.frontmatter as Frontmatter;
  const fields = Object.fromEntries(FRONTMATTER_FIELDS.map((k) => [k, fm[k] ?? ""]));
  return { baseVersion: version.number, fields, body: version.paragraphs.map((p) => p.text).join("\n\n") };
}
