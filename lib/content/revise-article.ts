import { alignParagraphs } from "@/lib/anchoring/align-paragraphs";
import type { ReanchorSummary } from "@/lib/anchoring/reanchor-version";
import { appendLog } from "@/lib/audit/append-log";
import { canManageArticles } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, fieldError, forbidden, notFound } from "@/lib/http/errors";
import { FRONTMATTER_FIELDS } from "./article-input";
import { loadVersion } from "./load-content";
import type { Frontmatter, ParsedArticle } from "./parse-article";
import { paragraphChanges, type ParagraphChangeView } from "./paragraph-changes";
import { parseRevisionInput, revisionSourceOf, type RevisionInput, type RevisionSource } from "./revision-input";

/**
 * An admin revises an article at /admin/articles/<slug> (docs/decisions/0043-article-revisions.md):
 * the edited text is parsed as a content/ file would be, previewed as a word-level diff against
 * the current version, and published through the loader's own loadVersion — the new version,
 * its lineage and every contribution's new anchoring in one transaction with the ARTICLE_REVISE
 * audit-log entry. Optimistic concurrency: the edit names the version it started from, and a
 * publish (or preview) based on an older one is refused with 409.
 */

const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

export interface RevisionEditor {
  slug: string;
  origin: "FILE" | "ADMIN";
  source: RevisionSource;
  versionSource: "FILE" | "ADMIN";
}

export interface FieldChange {
  field: keyof Frontmatter;
  before: string;
  after: string;
}

export interface RevisionPreview {
  baseVersion: number;
  fields: FieldChange[];
  paragraphs: ParagraphChangeView[];
  /** Paragraph counts of the current and the revised text. */
  counts: { before: number; after: number };
}

export interface PublishedRevision {
  slug: string;
  title: string;
  versionNumber: number;
  previousVersion: number;
  paragraphs: number;
  reanchored: ReanchorSummary;
}

function requireManager(admin: CurrentUser) {
  if (!canManageArticles(admin)) throw forbidden("Only admins can revise articles.");
}

async function currentVersion(db: Tx | Db, slug: string) {
  const article = await db.article.findUnique({
    where: { slug },
    select: {
      id: true,
      origin: true,
      versions: {
        orderBy: { number: "desc" },
        take: 1,
        select: {
          id: true,
          number: true,
          contentHash: true,
          source: true,
          frontmatter: true,
          paragraphs: { orderBy: { position: "asc" }, select: { anchorId: true, text: true } },
        },
      },
    },
  });
  const version = article?.versions[0];
  if (!article || !version) throw notFound("Article");
  return { article, version };
}

const staleError = (base: number, current: number) =>
  new AppError(
    "stale",
    `This article changed since you opened it: you edited version ${base}, and version ${current} has been published since. Reload the page to edit the current text (copy your changes first).`,
    { current: { version: current } },
  );

const nothingChanged = (n: number) =>
  fieldError("body", `nothing changed: the text and fields are the same as version ${n}`, { summary: `Nothing changed: the text and fields are the same as version ${n}. Edit something before publishing.` });

function check(base: number, latest: { number: number; contentHash: string }, parsed: ParsedArticle) {
  if (latest.number !== base) throw staleError(base, latest.number);
  if (latest.contentHash === parsed.contentHash) throw nothingChanged(latest.number);
}

/** The current text as the editor shows it (admins only; 404 for an unknown slug). */
export async function revisionEditor(admin: CurrentUser, slug: string): Promise<RevisionEditor> {
  requireManager(admin);
  const { article, version } = await currentVersion(await getDb(), slug);
  return { slug, origin: article.origin, source: revisionSourceOf(version), versionSource: version.source };
}

/** What publishing would change, word by word, without storing anything. */
export async function previewRevision(admin: CurrentUser, slug: string, input: RevisionInput): Promise<RevisionPreview> {
  requireManager(admin);
  const parsed = parseRevisionInput(slug, input);
  const { version } = await currentVersion(await getDb(), slug);
  check(input.baseVersion, version, parsed);
  const fm = version.frontmatter as Frontmatter;
  const fields = FRONTMATTER_FIELDS.flatMap((k): FieldChange[] =>
    (fm[k] ?? "") === (parsed.frontmatter[k] ?? "") ? [] : [{ field: k, before: fm[k] ?? "", after: parsed.frontmatter[k] ?? "" }],
  );
  const alignment = alignParagraphs(
    version.paragraphs.map((p) => p.text),
    parsed.paragraphs.map((p) => p.text),
  );
  return {
    baseVersion: version.number,
    fields,
    paragraphs: paragraphChanges(version.paragraphs, parsed.paragraphs, alignment.changes, alignment.inserted),
    counts: { before: version.paragraphs.length, after: parsed.paragraphs.length },
  };
}

/** Publishes the revision: all of it (version, lineage, anchorings, audit entry) or nothing. */
export async function publishRevision(admin: CurrentUser, slug: string, input: RevisionInput): Promise<PublishedRevision> {
  requireManager(admin);
  const parsed = parseRevisionInput(slug, input);
  const db = await getDb();
  try {
    return await db.$transaction(
      async (tx) => {
        const { article, version: latest } = await currentVersion(tx, slug);
        check(input.baseVersion, latest, parsed);
        // Two admins publishing on the same base: the second waits on the unique (articleId, number) and gets 409 below.
        const reanchored = (await loadVersion(tx, article.id, latest, parsed, "ADMIN"))!;
        const published: PublishedRevision = {
          slug,
          title: parsed.frontmatter.title,
          versionNumber: latest.number + 1,
          previousVersion: latest.number,
          paragraphs: parsed.paragraphs.length,
          reanchored,
        };
        await appendLog(tx, {
          actorId: admin.id,
          action: "ARTICLE_REVISE",
          details: {
            articleId: article.id,
            slug,
            title: published.title,
            version: published.versionNumber,
            previousVersion: latest.number,
            paragraphs: published.paragraphs,
            contentHash: parsed.contentHash,
            reanchored: { exact: reanchored.exact, fuzzy: reanchored.fuzzy, orphaned: reanchored.orphaned },
          },
        });
        return published;
      },
      { timeout: TRANSACTION_TIMEOUT_MS },
    );
  } catch (err) {
    if (isUniqueViolation(err)) {
      const { version } = await currentVersion(db, slug);
      throw staleError(input.baseVersion, version.number);
    }
    throw err;
  }
}
