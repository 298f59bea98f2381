import { expect } from "vitest";
import pg from "pg";
import { createContribution } from "@/lib/annotations/create-contribution";
import type { ContributionDto } from "@/lib/annotations/dto";
import type { CurrentUser } from "@/lib/auth/session";
import { loadContent } from "@/lib/content/load-content";
import { closeDb, type Db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import type { ContributionKind, ModerationPolicy, Role, UserStatus } from "@/lib/generated/prisma/enums";
import { AppError, type ErrorCode } from "@/lib/http/errors";
import { claim, latestVersion, longParagraph, suffix, testArticle, uniqueEmail, type LoadedArticle } from "./fixtures";

/**
 * Test data for the moderation suites. Like ./fixtures (which it builds on), everything is
 * unique per call, because with DATABASE_URL all files share one database.
 *
 * Cleaning up is different here: the audit log is append-only (a trigger refuses DELETE) and
 * its foreign keys RESTRICT, so a user or contribution that appears in the log can never be
 * deleted — that is the point of an audit log. `cleanup()` removes everything the log does not
 * reference and leaves the rest to the run's database, which is fresh and dropped afterwards.
 */

/** True when the run uses a PostgreSQL server (mode a); false for the in-memory PGlite (mode b). */
export const onServer = Boolean(process.env.DATABASE_URL);

/** Runs `fn`, expects it to fail with an AppError of `code`, and returns the error. */
export async function appError(code: ErrorCode, fn: () => Promise<unknown>): Promise<AppError> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code, (err as Error).message).toBe(code);
  return err as AppError;
}

export type TestUser = CurrentUser & { createdAt: Date; email: string };

export interface UserOptions {
  role?: Role;
  name?: string;
  status?: UserStatus;
  suspendedUntil?: Date | null;
  /** Defaults to a week ago: an established account, outside the new-account limits. */
  createdAt?: Date;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export function moderationData(db: Db) {
  const userIds: string[] = [];
  const slugs: string[] = [];
  let span = 0;

  const data = {
    async user(opts: UserOptions = {}): Promise<TestUser> {
      const u = await db.user.create({
        data: {
          email: uniqueEmail("mod"),
          name: opts.name ?? `Test ${suffix()}`,
          passwordHash: "not-a-real-hash",
          role: opts.role ?? "READER",
          status: opts.status ?? "ACTIVE",
          suspendedUntil: opts.suspendedUntil ?? null,
          createdAt: opts.createdAt ?? new Date(Date.now() - WEEK_MS),
        },
        select: { id: true, name: true, role: true, createdAt: true, email: true },
      });
      userIds.push(u.id);
      return u;
    },

    /** A test-only article loaded through the real content loader, with a moderation policy. */
    async article(paragraphCount = 2, policy: ModerationPolicy = "POST_MODERATION"): Promise<LoadedArticle> {
      const parsed = testArticle(Array.from({ length: paragraphCount }, () => longParagraph()));
      slugs.push(parsed.slug);
      await loadContent(db, [parsed]);
      if (policy !== "POST_MODERATION") await db.article.update({ where: { slug: parsed.slug }, data: { moderationPolicy: policy } });
      return latestVersion(db, parsed.slug);
    },

    /** A contribution by `author` on a fresh span of paragraph `p` (status follows the article's policy). */
    async post(author: CurrentUser, article: LoadedArticle, opts: { p?: number; kind?: ContributionKind; body?: string } = {}): Promise<ContributionDto> {
      const start = (span++ * 7) % 250;
      return createContribution(author, article.slug, claim(article, opts.p ?? 0, [start, start + 12], { kind: opts.kind, body: opts.body }));
    },

    /** An article made another way (e.g. added by an admin) that cleanup should remove too. */
    track(slug: string): void {
      slugs.push(slug);
    },

    userIds,

    async cleanup(): Promise<void> {
      const articles = await db.article.findMany({ where: { slug: { in: slugs } }, select: { id: true } });
      const articleIds = articles.map((a) => a.id);
      const mine = { OR: [{ authorId: { in: userIds } }, { articleId: { in: articleIds } }] };
      const logged = await db.moderationLog.findMany({
        where: { OR: [{ contribution: mine }, { actorId: { in: userIds } }, { targetUserId: { in: userIds } }] },
        select: { contributionId: true, actorId: true, targetUserId: true },
      });
      const keepContributions = new Set(logged.flatMap((l) => (l.contributionId ? [l.contributionId] : [])));
      const keepUsers = new Set(logged.flatMap((l) => [l.actorId, l.targetUserId].filter((x): x is string => !!x)));
      await db.contribution.updateMany({ where: mine, data: { parentId: null } });
      await db.contribution.deleteMany({ where: { AND: [mine, { id: { notIn: [...keepContributions] } }] } });
      const left = await db.contribution.findMany({ where: mine, select: { authorId: true, articleId: true } });
      for (const c of left) keepUsers.add(c.authorId);
      const keepArticles = new Set(left.map((c) => c.articleId));
      await db.article.deleteMany({ where: { id: { in: articleIds.filter((id) => !keepArticles.has(id)) } } });
      await db.user.deleteMany({ where: { id: { in: userIds.filter((id) => !keepUsers.has(id)) } } });
    },
  };
  return data;
}

/** The audit rows about one contribution, oldest first. */
export function logFor(db: Db, contributionId: string) {
  return db.moderationLog.findMany({ where: { contributionId }, orderBy: [{ createdAt: "asc" }, { action: "asc" }] });
}

/** The decisions and automatic changes about one contribution (not reports or appeals), oldest first. */
export async function decisionsFor(db: Db, contributionId: string) {
  return (await logFor(db, contributionId)).filter((l) => l.action !== "FLAG" && l.action !== "APPEAL");
}

/**
 * Gives this test file a database of its own, for the few tests whose subject is global to a
 * database (how many active admins exist; monthly totals). Call it in beforeAll BEFORE the
 * first getDb(); await the returned close() in afterAll.
 * - Mode (a), PostgreSQL: creates `it_private_<random>` on the same server and points
 *   DATABASE_URL at it for this process (each test file runs in its own process);
 * - Mode (b), PGlite: every file already has its own in-memory database; nothing to do.
 */
export async function usePrivateDatabase(): Promise<{ close(): Promise<void> }> {
  const shared = process.env.DATABASE_URL;
  if (!shared) return { close: async () => {} };
  const name = `it_private_${suffix()}`;
  const admin = new pg.Client({ connectionString: shared });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  await closeDb();
  process.env.DATABASE_URL = url.toString();
  resetEnvCache();
  return {
    async close() {
      await closeDb();
      process.env.DATABASE_URL = shared;
      resetEnvCache();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
