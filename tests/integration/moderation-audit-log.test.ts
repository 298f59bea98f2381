import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { createContribution } from "@/lib/annotations/create-contribution";
import { parseArticleInput } from "@/lib/content/article-input";
import { createArticle } from "@/lib/content/create-article";
import { publishRevision } from "@/lib/content/revise-article";
import { loadContent, loadVersion } from "@/lib/content/load-content";
import { reattachOrphan } from "@/lib/moderation/reattach-orphan";
import { getDb, type Db } from "@/lib/db/client";
import { ModerationAction } from "@/lib/generated/prisma/enums";
import { createAppeal } from "@/lib/moderation/create-appeal";
import { decide } from "@/lib/moderation/decide";
import { undoDecision } from "@/lib/moderation/undo-decision";
import { decideAppeal } from "@/lib/moderation/decide-appeal";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { listLog, type LogRow } from "@/lib/moderation/list-log";
import { logQuerySchema } from "@/lib/moderation/schemas";
import { setArticlePolicy } from "@/lib/moderation/set-article-policy";
import { createExport, runExport } from "@/lib/research/jobs";
import { createExportSchema } from "@/lib/research/schemas";
import { createStudy } from "@/lib/research/studies";
import { changeRole } from "@/lib/users/change-role";
import { liftSuspension, suspendUser } from "@/lib/users/suspend-user";
import { suffix, type LoadedArticle } from "./support/fixtures";
import { appError, moderationData, type TestUser } from "./support/moderation";
import { useTempExportDir } from "./support/research";

/**
 * The audit log: every kind of change writes one row (who, when, old and new status, why),
 * nobody can change or remove a row — not through Prisma, not through raw SQL — and no code
 * in the app even tries. listLog() reads it, filtered and keyset-paged.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let post: LoadedArticle;
let pre: LoadedArticle;
let author: TestUser;
let readers: TestUser[];
let mod: TestUser;
let admin: TestUser;
let researcher: TestUser;
let started: Date;
let exportDir: Awaited<ReturnType<typeof useTempExportDir>>;
const studyIds: string[] = [];

beforeAll(async () => {
  exportDir = await useTempExportDir();
  db = await getDb();
  data = moderationData(db);
  post = await data.article(2);
  pre = await data.article(1);
  author = await data.user({ name: "Logged Author" });
  readers = [await data.user(), await data.user(), await data.user()];
  mod = await data.user({ role: "MODERATOR", name: "Logging Moderator" });
  admin = await data.user({ role: "ADMIN", name: "Logging Admin" });
  researcher = await data.user({ role: "RESEARCHER", name: "Logging Researcher" });
  await setArticlePolicy(admin, pre.slug, "PRE_MODERATION");
  started = new Date(Date.now() - 1000);
});

afterAll(async () => {
  // Studies and export jobs restrict deleting their users; they go first.
  await db?.exportJob.deleteMany({ where: { studyId: { in: studyIds } } });
  await db?.researchStudy.deleteMany({ where: { id: { in: studyIds } } });
  await data?.cleanup();
  await exportDir?.remove();
});

const q = (query: Record<string, unknown>) => logQuerySchema.parse(query);

describe("every change writes an audit row", () => {
  const rows: Record<string, { contributionId?: string; targetUserId?: string; actorId?: string }> = {};
  let exportId: string;

  beforeAll(async () => {
    // Moderators' decisions.
    const pending = await data.post(author, pre);
    await decide(mod, "PUBLISH", [{ id: pending.id, version: 1 }], null);
    rows.PUBLISH = { contributionId: pending.id };
    const hidden = await data.post(author, post);
    await decide(mod, "HIDE", [{ id: hidden.id, version: 1 }], "Hide reason");
    rows.HIDE = { contributionId: hidden.id };
    await decide(mod, "RESTORE", [{ id: hidden.id, version: 2 }], "Restore reason");
    rows.RESTORE = { contributionId: hidden.id };
    const rejected = await data.post(author, post);
    await decide(mod, "REJECT", [{ id: rejected.id, version: 1 }], "Reject reason");
    rows.REJECT = { contributionId: rejected.id };
    const undone = await data.post(author, post);
    const [taken] = await decide(mod, "HIDE", [{ id: undone.id, version: 1 }], "Hidden by mistake");
    await undoDecision(mod, taken!.batch);
    rows.UNDO = { contributionId: undone.id };
    const kept = await data.post(author, post);
    await flagContribution(readers[0]!, kept.id, { reason: "SPAM", note: "Flag note" });
    rows.FLAG = { contributionId: kept.id };
    await decide(mod, "KEEP", [{ id: kept.id, version: 1 }], "Keep reason");
    rows.KEEP = { contributionId: kept.id };
    // Automatic changes.
    const auto = await data.post(author, post, { p: 1 });
    for (const r of readers) await flagContribution(r, auto.id, { reason: "HARASSMENT" });
    rows.AUTO_HIDE = { contributionId: auto.id };
    await updateContribution(author, pending.id, { version: 2, body: "Edited after publication" });
    rows.REQUEUE_EDIT = { contributionId: pending.id };
    // Appeals.
    await createAppeal(author, auto.id, "Please look again");
    await decideAppeal(mod, { contributionId: auto.id, version: 2, uphold: true, reason: "Uphold reason" });
    rows.APPEAL_UPHELD = { contributionId: auto.id };
    await createAppeal(author, rejected.id, "Please");
    rows.APPEAL = { contributionId: rejected.id };
    await decideAppeal(mod, { contributionId: rejected.id, version: 2, uphold: false, reason: "Deny reason" });
    rows.APPEAL_DENIED = { contributionId: rejected.id };
    // People.
    const promoted = await data.user();
    await changeRole(admin, promoted.id, "MODERATOR");
    rows.ROLE_CHANGE = { targetUserId: promoted.id };
    const suspended = await data.user();
    await suspendUser(admin, suspended.id, { reason: "Suspend reason", hideContributions: false });
    rows.SUSPEND = { targetUserId: suspended.id };
    await liftSuspension(admin, suspended.id);
    rows.UNSUSPEND = { targetUserId: suspended.id };
    // Research exports (logged when the job finishes, by whoever asked for it).
    const study = await createStudy(researcher, { name: "Audit log study", description: undefined });
    studyIds.push(study.id);
    const job = await createExport(researcher, createExportSchema.parse({ studyId: study.id, format: "csv", filters: { articles: [post.slug] } }), "web");
    exportId = job.id;
    expect((await runExport(job.id)).status).toBe("SUCCEEDED");
    rows.EXPORT = { actorId: researcher.id };
    // Articles added by an admin.
    const slug = `logged-article-${suffix()}`;
    data.track(slug);
    await createArticle(admin, { slug, title: "A logged article", body: "Its one paragraph." });
    rows.ARTICLE_CREATE = { actorId: admin.id };
    // An admin's revision of it.
    await publishRevision(admin, slug, { baseVersion: 1, title: "A logged article", body: "Its one paragraph, revised." });
    rows.ARTICLE_REVISE = { actorId: admin.id };
    // An orphan of a revised article, put back on the current text by a moderator.
    const revised = `logged-revised-${suffix()}`;
    data.track(revised);
    await loadContent(db, [parseArticleInput({ slug: revised, title: "A revised article", body: "Its first text says one thing about exiles." })]);
    const v1 = await db.articleVersion.findFirstOrThrow({
      where: { article: { slug: revised } },
      select: { id: true, number: true, contentHash: true, articleId: true, paragraphs: { select: { anchorId: true } } },
    });
    const lost = await createContribution(author, revised, {
      kind: "ANNOTATION",
      body: "On the first text",
      anchorId: v1.paragraphs[0]!.anchorId,
      versionId: v1.id,
      selector: { start: 0, end: 14, exact: "Its first text" },
    });
    const next = parseArticleInput({ slug: revised, title: "A revised article", body: "Entirely different words now stand in this place." });
    await db.$transaction((tx) => loadVersion(tx, v1.articleId, v1, next));
    await reattachOrphan(mod, lost.id, { anchorId: next.paragraphs[0]!.anchorId, selector: { start: 0, end: 16, exact: "Entirely differe" }, version: 1, reason: "Reattach reason" });
    rows.REATTACH = { contributionId: lost.id };
  });

  it("covers every action of the ModerationAction enum", () => {
    expect(Object.keys(rows).sort()).toEqual(Object.values(ModerationAction).sort());
  });

  const expected: Record<keyof typeof ModerationAction, { actor: "mod" | "admin" | "author" | "reader" | "researcher" | null; from: string | null; to: string | null; reason: string | RegExp | null }> = {
    FLAG: { actor: "reader", from: null, to: null, reason: "SPAM: Flag note" },
    APPEAL: { actor: "author", from: "REJECTED", to: "REJECTED", reason: "Please" },
    PUBLISH: { actor: "mod", from: "PENDING", to: "PUBLISHED", reason: null },
    HIDE: { actor: "mod", from: "PUBLISHED", to: "HIDDEN", reason: "Hide reason" },
    RESTORE: { actor: "mod", from: "HIDDEN", to: "PUBLISHED", reason: "Restore reason" },
    REJECT: { actor: "mod", from: "PUBLISHED", to: "REJECTED", reason: "Reject reason" },
    KEEP: { actor: "mod", from: "PUBLISHED", to: "PUBLISHED", reason: "Keep reason" },
    AUTO_HIDE: { actor: null, from: "PUBLISHED", to: "HIDDEN", reason: /3 open reports/ },
    REQUEUE_EDIT: { actor: null, from: "PUBLISHED", to: "PENDING", reason: /pre-moderated/ },
    APPEAL_UPHELD: { actor: "mod", from: "HIDDEN", to: "PUBLISHED", reason: "Uphold reason" },
    APPEAL_DENIED: { actor: "mod", from: "REJECTED", to: "REJECTED", reason: "Deny reason" },
    ROLE_CHANGE: { actor: "admin", from: null, to: null, reason: null },
    SUSPEND: { actor: "admin", from: null, to: null, reason: "Suspend reason" },
    UNSUSPEND: { actor: "admin", from: null, to: null, reason: null },
    EXPORT: { actor: "researcher", from: null, to: null, reason: /Research export/ },
    ARTICLE_CREATE: { actor: "admin", from: null, to: null, reason: null },
    ARTICLE_REVISE: { actor: "admin", from: null, to: null, reason: null },
    UNDO: { actor: "mod", from: "HIDDEN", to: "PUBLISHED", reason: null },
    REATTACH: { actor: "mod", from: null, to: null, reason: "Reattach reason" },
  };

  it.each(Object.keys(expected) as (keyof typeof ModerationAction)[])("%s: actor, time, old and new status, reason", async (action) => {
    const e = expected[action];
    const where = { action, ...rows[action] };
    const found = await db.moderationLog.findMany({ where });
    expect(found, JSON.stringify(where)).toHaveLength(1);
    const log = found[0]!;
    const actors = { mod: mod.id, admin: admin.id, author: author.id, reader: readers[0]!.id, researcher: researcher.id };
    expect(log.actorId).toBe(e.actor === null ? null : actors[e.actor]);
    // The role the actor acted in, as it was then; automatic actions have none.
    const roles = { mod: "MODERATOR", admin: "ADMIN", author: "READER", reader: "READER", researcher: "RESEARCHER" } as const;
    expect(log.actorRole).toBe(e.actor === null ? null : roles[e.actor]);
    // Entries about a contribution name the version (and so the text) they were about.
    if (rows[action]!.contributionId) expect(log.contributionVersion).toEqual(expect.any(Number));
    else expect(log.contributionVersion).toBeNull();
    expect(log.fromStatus).toBe(e.from);
    expect(log.toStatus).toBe(e.to);
    if (e.reason instanceof RegExp) expect(log.reason).toMatch(e.reason);
    else expect(log.reason).toBe(e.reason);
    expect(log.createdAt.getTime()).toBeGreaterThanOrEqual(started.getTime());
    expect(log.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    // Rows about a contribution also name its author; rows about a person name that person;
    // rows about neither (exports) name nobody.
    const row = rows[action]!;
    expect(log.targetUserId).toBe(row.targetUserId ?? (row.contributionId ? author.id : null));
    if (!row.contributionId) expect(log.contributionId).toBeNull();
  });

  it("records the old and new role of a role change", async () => {
    const log = await db.moderationLog.findFirstOrThrow({ where: { action: "ROLE_CHANGE", ...rows.ROLE_CHANGE } });
    expect(log.details).toEqual({ from: "READER", to: "MODERATOR" });
  });

  it("records what was exported: the export, its study, filters, counts and checksum", async () => {
    const log = await db.moderationLog.findFirstOrThrow({ where: { action: "EXPORT", ...rows.EXPORT } });
    const job = await db.exportJob.findUniqueOrThrow({ where: { id: exportId } });
    expect(log.details).toMatchObject({
      exportId,
      studyId: job.studyId,
      format: "csv",
      via: "web",
      status: "SUCCEEDED",
      filters: { articles: [post.slug], statuses: ["PUBLISHED"], includeModeration: false },
      counts: { contributions: expect.any(Number), optedOutExcluded: 0 },
      sha256: job.sha256,
      bytes: Number(job.byteSize),
    });
  });
});

describe("the audit log cannot be altered", () => {
  let target: { id: string; reason: string | null };
  const sentinel = new Error("rolled back on purpose");

  beforeAll(async () => {
    const c = await data.post(author, post);
    await decide(mod, "HIDE", [{ id: c.id, version: 1 }], "Original reason");
    target = await db.moderationLog.findFirstOrThrow({ where: { contributionId: c.id }, select: { id: true, reason: true } });
  });

  /**
   * Runs `sql` in a transaction that is rolled back whatever happens, so that if the protection
   * were missing nothing would be lost (in mode (a) other files share this database).
   * Returns the error the statement raised (or the sentinel if it succeeded).
   */
  async function inRolledBackTransaction(sql: string, ...params: unknown[]): Promise<unknown> {
    return db
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(sql, ...params);
        throw sentinel;
      })
      .catch((e: unknown) => e);
  }

  const expectRefused = (err: unknown, op: string) => {
    expect(err, `${op} went through`).not.toBe(sentinel);
    expect(String((err as Error)?.message ?? err)).toMatch(/append-only/);
  };

  it.each([
    ["UPDATE one row", `UPDATE "ModerationLog" SET reason = 'rewritten' WHERE id = $1::uuid`, "UPDATE"],
    ["UPDATE every row", `UPDATE "ModerationLog" SET "actorId" = NULL`, "UPDATE"],
    ["DELETE one row", `DELETE FROM "ModerationLog" WHERE id = $1::uuid`, "DELETE"],
    ["DELETE every row", `DELETE FROM "ModerationLog"`, "DELETE"],
    ["TRUNCATE", `TRUNCATE "ModerationLog"`, "TRUNCATE"],
  ])("refuses raw SQL: %s", async (_label, sql, op) => {
    const err = await inRolledBackTransaction(sql, ...(sql.includes("$1") ? [target.id] : []));
    expectRefused(err, op);
    expect(String((err as Error).message)).toContain(`${op} refused`);
    expect(await db.moderationLog.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ reason: "Original reason" });
  });

  it("refuses Prisma's update, updateMany, upsert, delete and deleteMany", async () => {
    const attempts: [string, () => Promise<unknown>][] = [
      ["update", () => db.moderationLog.update({ where: { id: target.id }, data: { reason: "rewritten" } })],
      ["updateMany", () => db.moderationLog.updateMany({ where: { id: target.id }, data: { reason: "rewritten" } })],
      [
        "upsert",
        () => db.moderationLog.upsert({ where: { id: target.id }, create: { action: "HIDE" }, update: { reason: "rewritten" } }),
      ],
      ["delete", () => db.moderationLog.delete({ where: { id: target.id } })],
      ["deleteMany", () => db.moderationLog.deleteMany({ where: { id: target.id } })],
    ];
    for (const [name, attempt] of attempts) {
      const err = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `moderationLog.${name} went through`).toBeInstanceOf(Error);
      expect(String((err as Error).message), name).toMatch(/append-only/);
    }
    expect(await db.moderationLog.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ reason: "Original reason" });
  });

  it("keeps a logged contribution and user from being deleted (the log's foreign keys restrict)", async () => {
    const log = await db.moderationLog.findUniqueOrThrow({ where: { id: target.id } });
    await expect(db.contribution.delete({ where: { id: log.contributionId! } })).rejects.toThrow();
    await expect(db.user.delete({ where: { id: mod.id } })).rejects.toThrow();
    expect(await db.moderationLog.count({ where: { id: target.id } })).toBe(1);
  });
});

describe("no code changes or removes audit rows", () => {
  const ROOT = process.cwd();
  const SKIP = new Set(["node_modules", "generated", ".next", ".data"]);

  function sourceFiles(dir: string): string[] {
    const out: string[] = [];
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
      else if (/\.(ts|tsx|mts|mjs|js)$/.test(name)) out.push(full);
    }
    return out;
  }

  const PRISMA_WRITE = /moderationLog\s*(?:\?\.|\.)\s*(update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\b/;
  const SQL_WRITE = /\b(UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?"?ModerationLog"?/i;
  const TRIGGER_OFF = /DISABLE\s+TRIGGER|DROP\s+TRIGGER|session_replication_role/i;

  it("recognises the forbidden calls (the scan is not vacuous)", () => {
    expect(PRISMA_WRITE.test("await tx.moderationLog.deleteMany({})")).toBe(true);
    expect(PRISMA_WRITE.test("db.moderationLog\n  .update({ where })")).toBe(true);
    expect(PRISMA_WRITE.test("tx.moderationLog.createMany({ data })")).toBe(false);
    expect(SQL_WRITE.test(`DELETE FROM "ModerationLog" WHERE 1=1`)).toBe(true);
    expect(SQL_WRITE.test(`truncate table ModerationLog`)).toBe(true);
    expect(SQL_WRITE.test(`INSERT INTO "ModerationLog"`)).toBe(false);
  });

  it.each(["lib", "app", "scripts"])("finds no update/delete/upsert of ModerationLog under %s/", (dir) => {
    const files = sourceFiles(path.join(ROOT, dir));
    expect(files.length).toBeGreaterThan(0);
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const re of [PRISMA_WRITE, SQL_WRITE]) {
        const m = re.exec(text);
        if (m) offenders.push(`${path.relative(ROOT, file)}: ${m[0]}`);
      }
      if (/ModerationLog/i.test(text) && TRIGGER_OFF.test(text)) offenders.push(`${path.relative(ROOT, file)}: disables triggers`);
    }
    expect(offenders).toEqual([]);
  });

  it("finds the one place that writes it: appendLog's createMany", () => {
    const writers = sourceFiles(path.join(ROOT, "lib")).filter((f) => /moderationLog\s*\.\s*create(Many)?\b/.test(readFileSync(f, "utf8")));
    expect(writers.map((f) => path.relative(ROOT, f))).toEqual([path.join("lib", "audit", "append-log.ts")]);
  });
});

describe("listLog", () => {
  let subject: TestUser;
  let hiddenIds: string[];

  beforeAll(async () => {
    // Seven published contributions hidden by one suspension: eight rows written in one
    // transaction, so they share a timestamp — the cursor must break the tie by id.
    subject = await data.user({ name: "Paged Subject" });
    for (let i = 0; i < 7; i++) await data.post(subject, post);
    await suspendUser(admin, subject.id, { reason: "Spam account", hideContributions: true });
    hiddenIds = (await db.contribution.findMany({ where: { authorId: subject.id }, select: { id: true } })).map((c) => c.id);
  });

  it("is for moderators and admins only", async () => {
    for (const user of [author, readers[0]!]) await appError("forbidden", () => listLog(user, q({})));
    await expect(listLog(admin, q({ target: subject.id }))).resolves.toBeDefined();
  });

  it("breaks ties between rows with the same time by id when paging", async () => {
    const target = await data.user();
    const at = new Date("2026-01-02T03:04:05.678Z");
    await db.moderationLog.createMany({
      data: Array.from({ length: 5 }, () => ({ actorId: admin.id, action: "ROLE_CHANGE" as const, targetUserId: target.id, createdAt: at })),
    });
    const expected = await db.moderationLog.findMany({ where: { targetUserId: target.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listLog(mod, q({ target: target.id, limit: 2, cursor }));
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen.length < 20);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it("pages every row exactly once, newest first, in order", async () => {
    const expected = await db.moderationLog.findMany({ where: { targetUserId: subject.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(expected).toHaveLength(8);
    // Written in one transaction, they keep their order: one millisecond apart, SUSPEND first.
    const times = expected.map((r) => r.createdAt.getTime()).reverse();
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(Array(7).fill(1));
    expect(expected.at(-1)?.action).toBe("SUSPEND");
    for (const limit of [1, 3, 8, 50]) {
      const seen: LogRow[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listLog(mod, q({ target: subject.id, limit, cursor }));
        seen.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        if (++pages > 20) throw new Error("paging does not end");
      } while (cursor);
      expect(pages, `limit ${limit}`).toBe(Math.max(1, Math.ceil(8 / limit)));
      expect(seen.map((r) => r.id), `limit ${limit}`).toEqual(expected.map((r) => r.id));
    }
  });

  it("filters by action, contribution, actor and target", async () => {
    const byAction = await listLog(mod, q({ target: subject.id, action: "SUSPEND" }));
    expect(byAction.items).toHaveLength(1);
    expect(byAction.items[0]).toMatchObject({
      action: "SUSPEND",
      actor: { id: admin.id, name: "Logging Admin" },
      target: { id: subject.id, name: "Paged Subject" },
      contribution: null,
      reason: "Spam account",
    });

    const byContribution = await listLog(mod, q({ contribution: hiddenIds[0] }));
    expect(byContribution.items).toHaveLength(1);
    expect(byContribution.items[0]).toMatchObject({
      action: "HIDE",
      fromStatus: "PUBLISHED",
      toStatus: "HIDDEN",
      contribution: { id: hiddenIds[0], articleSlug: post.slug },
    });
    expect(byContribution.items[0]!.contribution!.quote.length).toBeGreaterThan(0);

    const hides = await listLog(mod, q({ target: subject.id, action: "HIDE", limit: 100 }));
    expect(hides.items.map((r) => r.contribution!.id).sort()).toEqual([...hiddenIds].sort());

    const byActor = await listLog(mod, q({ actor: mod.id, limit: 100 }));
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((r) => r.actor?.id === mod.id)).toBe(true);
    const actorTarget = await listLog(mod, q({ actor: admin.id, target: subject.id, limit: 100 }));
    expect(actorTarget.items).toHaveLength(8);
  });

  it("answers an unknown cursor with a validation error", async () => {
    await expect(listLog(mod, q({ cursor: "bm90LWEtY3Vyc29y" }))).rejects.toMatchObject({ code: "validation" });
  });
});
