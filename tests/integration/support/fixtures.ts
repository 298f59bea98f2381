import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { CreateContributionInput } from "@/lib/annotations/schemas";
import { createContributionSchema } from "@/lib/annotations/schemas";
import { selectorFor } from "@/lib/annotations/selector";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { loadContent } from "@/lib/content/load-content";
import { parseArticle, type ParsedArticle } from "@/lib/content/parse-article";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * Test data that each test file owns. With DATABASE_URL every file shares one database,
 * so everything here is unique per call (random suffixes) and `cleanup()` removes it.
 */

export const suffix = () => randomBytes(6).toString("hex");

export const uniqueEmail = (prefix = "user") => `${prefix}-${suffix()}@test.invalid`;

/** A markdown article file as content/articles holds them. */
export function articleSource(title: string, paragraphs: readonly string[]): string {
  return `---\ntitle: ${JSON.stringify(title)}\nsection: "Test"\n---\n\n${paragraphs.join("\n\n")}\n`;
}

export function testArticle(paragraphs: readonly string[], slug = `test-${suffix()}`): ParsedArticle {
  return parseArticle(slug, articleSource(`Test article ${slug}`, paragraphs));
}

export interface LoadedArticle {
  slug: string;
  articleId: string;
  versionId: string;
  paragraphs: { id: string; anchorId: string; position: number; text: string }[];
}

export function testData(db: Db) {
  const userIds: string[] = [];
  const slugs: string[] = [];

  return {
    async user(opts: { role?: Role; name?: string } = {}): Promise<CurrentUser> {
      const name = opts.name ?? `Test ${suffix()}`;
      const u = await db.user.create({
        data: { email: uniqueEmail(), name, passwordHash: "not-a-real-hash", role: opts.role ?? "READER" },
        select: { id: true, name: true, role: true },
      });
      userIds.push(u.id);
      return u;
    },

    /** Loads a test-only article through the real content loader; returns its latest version. */
    async article(paragraphs: readonly string[]): Promise<LoadedArticle> {
      const parsed = testArticle(paragraphs);
      slugs.push(parsed.slug);
      await loadContent(db, [parsed]);
      return latestVersion(db, parsed.slug);
    },

    track(slug: string) {
      slugs.push(slug);
    },

    async cleanup(): Promise<void> {
      const articles = await db.article.findMany({ where: { slug: { in: slugs } }, select: { id: true } });
      const articleIds = articles.map((a) => a.id);
      await db.contribution.updateMany({
        where: { OR: [{ authorId: { in: userIds } }, { articleId: { in: articleIds } }] },
        data: { parentId: null },
      });
      await db.contribution.deleteMany({ where: { OR: [{ authorId: { in: userIds } }, { articleId: { in: articleIds } }] } });
      await db.article.deleteMany({ where: { id: { in: articleIds } } });
      await db.user.deleteMany({ where: { id: { in: userIds } } });
    },
  };
}

/**
 * A test file's database, its own test data and one reader, set up before the file's tests and
 * cleaned up after them. Read the fields inside tests or hooks (they are filled in by beforeAll).
 */
export function testDataWithUser() {
  const t = {} as { db: Db; data: ReturnType<typeof testData>; user: CurrentUser };
  beforeAll(async () => {
    t.db = await getDb();
    t.data = testData(t.db);
    t.user = await t.data.user();
  });
  afterAll(async () => {
    await t.data?.cleanup();
  });
  return t;
}

export async function latestVersion(db: Db, slug: string): Promise<LoadedArticle> {
  const v = await db.articleVersion.findFirstOrThrow({
    where: { article: { slug } },
    orderBy: { number: "desc" },
    select: {
      id: true,
      articleId: true,
      paragraphs: { orderBy: { position: "asc" }, select: { id: true, anchorId: true, position: true, text: true } },
    },
  });
  return { slug, articleId: v.articleId, versionId: v.id, paragraphs: v.paragraphs };
}

/** A valid create request for the span [start, end) of a paragraph, parsed like a route would. */
export function claim(
  article: LoadedArticle,
  paragraphIndex: number,
  span: readonly [number, number] | "whole",
  opts: { kind?: CreateContributionInput["kind"]; body?: string; source?: { url: string; stance: string; title?: string } } = {},
): CreateContributionInput {
  const p = article.paragraphs[paragraphIndex];
  if (!p) throw new Error(`no paragraph ${paragraphIndex}`);
  const [start, end] = span === "whole" ? [0, p.text.length] : span;
  const sel = selectorFor(p.text, start, end);
  const kind = opts.kind ?? "ANNOTATION";
  return createContributionSchema.parse({
    anchorId: p.anchorId,
    versionId: article.versionId,
    kind,
    body: opts.body ?? `A ${kind.toLowerCase()} on ${start}-${end}.`,
    selector: sel,
    source: kind === "SOURCE" ? (opts.source ?? { url: "https://example.org/evidence", stance: "SUPPORTS" }) : undefined,
  });
}

/** A paragraph long enough for the span tests (about 300 characters), unique per call. */
export function longParagraph(label = suffix()): string {
  return (
    `Paragraph ${label}: the quick brown fox jumps over the lazy dog while the committee debates ` +
    "whether the evidence supports the claim, and whether any of the sources cited earlier can be " +
    "trusted at all. Meanwhile, readers add annotations, counterpoints and links to primary sources, " +
    "each anchored to the exact words they are arguing about."
  );
}
