import { createHash } from "node:crypto";
import { z } from "zod";
import { anchorIdsFor, normalizeParagraphText } from "./anchors";

/**
 * An article file: `---` frontmatter of `key: value` lines (values may be JSON strings),
 * then the body as plain-text paragraphs separated by blank lines. Paragraph text is kept
 * verbatim (only surrounding white space is trimmed), because claims are anchored to it.
 */

export const frontmatterSchema = z.object({
  title: z.string().min(1),
  publisher: z.string().min(1).optional(),
  section: z.string().min(1).optional(),
  caption: z.string().min(1).optional(),
  credit: z.string().min(1).optional(),
  note: z.string().min(1).optional(),
  author: z.string().min(1).optional(),
  date: z.string().min(1).optional(),
});

export type Frontmatter = z.infer<typeof frontmatterSchema>;

export interface ParsedParagraph {
  position: number;
  anchorId: string;
  text: string;
}

export interface ParsedArticle {
  slug: string;
  frontmatter: Frontmatter;
  paragraphs: ParsedParagraph[];
  contentHash: string;
}

export class ArticleParseError extends Error {
  override name = "ArticleParseError";
}

function parseValue(raw: string): string {
  const v = raw.trim();
  if (v.startsWith('"')) return JSON.parse(v) as string;
  return v;
}

export function parseArticle(slug: string, source: string): ParsedArticle {
  const text = source.replace(/\r\n?/g, "\n");
  const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!m) throw new ArticleParseError(`${slug}: missing --- frontmatter ---`);
  const fmRaw: Record<string, string> = {};
  for (const line of m[1]!.split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const idx = line.indexOf(":");
    if (idx <= 0) throw new ArticleParseError(`${slug}: bad frontmatter line: ${line}`);
    fmRaw[line.slice(0, idx).trim()] = parseValue(line.slice(idx + 1));
  }
  const fm = frontmatterSchema.safeParse(fmRaw);
  if (!fm.success) {
    throw new ArticleParseError(`${slug}: ${fm.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const texts = m[2]!
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.normalize("NFC"));
  if (texts.length === 0) throw new ArticleParseError(`${slug}: no paragraphs`);
  const anchors = anchorIdsFor(texts);
  const paragraphs = texts.map((t, i) => ({ position: i, anchorId: anchors[i]!, text: t }));
  const contentHash = createHash("sha256")
    .update(JSON.stringify({ frontmatter: fm.data, paragraphs: texts.map(normalizeParagraphText) }))
    .digest("hex");
  return { slug, frontmatter: fm.data, paragraphs, contentHash };
}
