import { canManageArticles } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { forbidden } from "@/lib/http/errors";
import { parseArticleInput, type ArticleInput } from "./article-input";
import type { Frontmatter, ParsedParagraph } from "./parse-article";

export interface ArticlePreview {
  frontmatter: Frontmatter;
  paragraphs: ParsedParagraph[];
}

/** What publishing would store, without storing anything: the parsed frontmatter and paragraphs with their anchors. */
export function previewArticle(admin: CurrentUser, input: ArticleInput): ArticlePreview {
  if (!canManageArticles(admin)) throw forbidden("Only admins can add articles.");
  const parsed = parseArticleInput(input);
  return { frontmatter: parsed.frontmatter, paragraphs: parsed.paragraphs };
}
