import { randomUUID } from "node:crypto";
import { mulberry32, picker, randomBody, randomClaim, randomSource, wordStartsOf } from "../random";
import type { Db } from "@/lib/db/client";
import type { SqlConnection } from "@/lib/db/sql";
import type { ContributionKind, ContributionStatus, FlagReason, SourceStance } from "@/lib/generated/prisma/enums";

/**
 * The moderation benchmark's data, on top of a freshly migrated database with content/ loaded:
 *
 * - `authors` readers (who wrote everything; they cannot sign in), accounts created over two years;
 * - `published` published contributions that are not in the queue (the discussion around it);
 * - `pending` PENDING contributions in the queue, queued over the last `spreadDays` days;
 * - `flagged` published contributions with 1–2 OPEN flags from distinct readers (below the
 *   auto-hide threshold of 3), `openFlagCount` set, queued at their first flag;
 * - `appealed` contributions hidden by a moderator whose author appealed (Appeal OPEN), queued
 *   at the appeal;
 * - `history` older ModerationLog rows (HIDE/REJECT/PUBLISH by a former moderator) about the
 *   authors, so the queue's "prior decisions" count has something to count.
 *
 * Deterministic (seeded PRNG). Inserted with one INSERT … SELECT FROM unnest(…) per batch over
 * the app's raw SQL connection, then VACUUM ANALYZE. `topUpPending` adds pending rows later
 * (the bulk-decision runs keep the queue at its size).
 */

export interface ModerationSeedOptions {
  published: number;
  pending: number;
  flagged: number;
  appealed: number;
  authors: number;
  history: number;
  spreadDays: number;
  seed?: number;
}

export interface ModerationSeedResult {
  articleIds: string[];
  paragraphs: number;
  authors: number;
  published: number;
  pending: number;
  flagged: number;
  openFlags: number;
  appealed: number;
  history: number;
  queued: number;
  seconds: number;
}

interface Row {
  id: string;
  kind: ContributionKind;
  status: ContributionStatus;
  body: string;
  sourceUrl: string | null;
  sourceTitle: string | null;
  stance: SourceStance | null;
  articleId: string;
  articleVersionId: string;
  paragraphId: string;
  anchorId: string;
  quoteExact: string;
  quotePrefix: string;
  quoteSuffix: string;
  startOffset: number;
  endOffset: number;
  wholeParagraph: boolean;
  authorId: string;
  version: number;
  createdAt: Date;
  queuedAt: Date | null;
  openFlagCount: number;
  moderationReason: string | null;
}



const FLAG_REASONS: FlagReason[] = ["SPAM", "HARASSMENT", "OFF_TOPIC", "MISINFORMATION", "OTHER"];
const DAY = 24 * 3600 * 1000;

interface Paragraph {
  id: string;
  anchorId: string;
  text: string;
  wordStarts: number[];
  articleId: string;
  versionId: string;
}

/** Generates contribution rows over the given paragraphs (uniformly), from the given authors. */
function rowFactory(rand: () => number, paragraphs: Paragraph[], authorIds: string[]) {
  const pick = picker(rand);
  return (status: ContributionStatus, createdAt: Date, queuedAt: Date | null): Row => {
    const p = pick(paragraphs);
    const r = rand();
    const kind: ContributionKind = r < 0.5 ? "ANNOTATION" : r < 0.8 ? "COUNTERPOINT" : "SOURCE";
    const { whole, selector: sel } = randomClaim(p.text, p.wordStarts, rand);
    const body = randomBody(rand);
    const isSource = kind === "SOURCE";
    return {
      id: randomUUID(),
      kind,
      status,
      body,
      ...randomSource(isSource, rand),
      articleId: p.articleId,
      articleVersionId: p.versionId,
      paragraphId: p.id,
      anchorId: p.anchorId,
      quoteExact: sel.exact,
      quotePrefix: sel.prefix,
      quoteSuffix: sel.suffix,
      startOffset: sel.start,
      endOffset: sel.end,
      wholeParagraph: whole,
      authorId: pick(authorIds),
      version: 1,
      createdAt,
      queuedAt,
      openFlagCount: 0,
      moderationReason: null,
    };
  };
}

async function insertContributions(conn: SqlConnection, rows: Row[], batchSize = 5000): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    const col = <K extends keyof Row>(k: K) => batch.map((r) => r[k]);
    await conn.query(
      `INSERT INTO "Contribution" ("id", "kind", "status", "body", "sourceUrl", "sourceTitle", "stance",
         "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix",
         "startOffset", "endOffset", "wholeParagraph", "authorId", "version", "createdAt", "updatedAt",
         "queuedAt", "openFlagCount", "moderationReason")
       SELECT t.id, t.kind, t.status, t.body, t."sourceUrl", t."sourceTitle", t.stance,
         t."articleId", t."articleVersionId", t."paragraphId", t."anchorId", t."quoteExact", t."quotePrefix", t."quoteSuffix",
         t."startOffset", t."endOffset", t."wholeParagraph", t."authorId", t.version, t."createdAt", t."createdAt",
         t."queuedAt", t."openFlagCount", t."moderationReason"
       FROM unnest($1::uuid[], $2::"ContributionKind"[], $3::"ContributionStatus"[], $4::text[], $5::text[], $6::text[],
         $7::"SourceStance"[], $8::uuid[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[],
         $15::int[], $16::int[], $17::boolean[], $18::uuid[], $19::int[], $20::timestamptz[], $21::timestamptz[],
         $22::int[], $23::text[])
         AS t(id, kind, status, body, "sourceUrl", "sourceTitle", stance, "articleId", "articleVersionId", "paragraphId",
              "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "wholeParagraph",
              "authorId", version, "createdAt", "queuedAt", "openFlagCount", "moderationReason")`,
      [
        col("id"),
        col("kind"),
        col("status"),
        col("body"),
        col("sourceUrl"),
        col("sourceTitle"),
        col("stance"),
        col("articleId"),
        col("articleVersionId"),
        col("paragraphId"),
        col("anchorId"),
        col("quoteExact"),
        col("quotePrefix"),
        col("quoteSuffix"),
        col("startOffset"),
        col("endOffset"),
        col("wholeParagraph"),
        col("authorId"),
        col("version"),
        col("createdAt"),
        col("queuedAt"),
        col("openFlagCount"),
        col("moderationReason"),
      ],
    );
  }
}

async function loadParagraphs(db: Db): Promise<Paragraph[]> {
  const articles = await db.article.findMany({
    select: {
      id: true,
      versions: {
        orderBy: { number: "desc" },
        take: 1,
        select: { id: true, paragraphs: { orderBy: { position: "asc" }, select: { id: true, anchorId: true, text: true } } },
      },
    },
  });
  const out: Paragraph[] = [];
  for (const a of articles) {
    const v = a.versions[0];
    if (!v) continue;
    for (const p of v.paragraphs) {
      const wordStarts = wordStartsOf(p.text);
      out.push({ ...p, wordStarts, articleId: a.id, versionId: v.id });
    }
  }
  if (out.length === 0) throw new Error("No article paragraphs: is content/ loaded?");
  return out;
}

export async function seedModeration(db: Db, withSql: <T>(fn: (c: SqlConnection) => Promise<T>) => Promise<T>, opts: ModerationSeedOptions): Promise<ModerationSeedResult> {
  const t0 = performance.now();
  const rand = mulberry32(opts.seed ?? 20261127);
  const pick = picker(rand);
  const paragraphs = await loadParagraphs(db);
  const now = Date.now();

  // Readers: the authors and the flaggers. Not able to sign in (the hash is not an argon2 hash).
  await withSql((conn) =>
    conn.query(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), 'bench-mod-' || i || '@bench.invalid', 'Bench reader ' || i, '!bench-cannot-sign-in',
              now() - (i * interval '17 hours'), now()
       FROM generate_series(0, $1::int - 1) AS i
       ON CONFLICT ("email") DO NOTHING`,
      [opts.authors],
    ),
  );
  const authorIds = (
    await db.user.findMany({ where: { email: { endsWith: "@bench.invalid" } }, select: { id: true }, orderBy: { email: "asc" } })
  ).map((u) => u.id);
  const formerModerator = await db.user.create({
    data: { email: "former-moderator@bench.invalid", name: "Former moderator", passwordHash: "!bench-cannot-sign-in", role: "READER" },
    select: { id: true },
  });

  const make = rowFactory(rand, paragraphs, authorIds);
  const rows: Row[] = [];
  const ninetyDays = 90 * DAY;
  const spread = opts.spreadDays * DAY;
  for (let i = 0; i < opts.published; i++) rows.push(make("PUBLISHED", new Date(now - Math.floor(rand() * ninetyDays)), null));
  const pendingRows: Row[] = [];
  for (let i = 0; i < opts.pending; i++) {
    const queuedAt = new Date(now - Math.floor(rand() * spread));
    // A fifth were edited under pre-moderation and re-queued: created earlier, version 2.
    const requeued = rand() < 0.2;
    const r = make("PENDING", requeued ? new Date(queuedAt.getTime() - Math.floor(rand() * 30 * DAY)) : queuedAt, queuedAt);
    if (requeued) r.version = 2;
    pendingRows.push(r);
  }
  rows.push(...pendingRows);

  // Flagged: published, 1–2 open flags from distinct readers (not the author), queued at the first flag.
  const flags: { contributionId: string; reporterId: string; reason: FlagReason; note: string | null; createdAt: Date }[] = [];
  for (let i = 0; i < opts.flagged; i++) {
    const createdAt = new Date(now - Math.floor(rand() * ninetyDays));
    const n = rand() < 0.7 ? 1 : 2;
    const firstFlag = new Date(Math.min(now, createdAt.getTime() + Math.floor(rand() * Math.min(spread, now - createdAt.getTime()))));
    const r = make("PUBLISHED", createdAt, firstFlag);
    r.openFlagCount = n;
    rows.push(r);
    const reporters = new Set<string>();
    while (reporters.size < n) {
      const who = pick(authorIds);
      if (who !== r.authorId) reporters.add(who);
    }
    [...reporters].forEach((reporterId, k) => {
      const reason = pick(FLAG_REASONS);
      flags.push({
        contributionId: r.id,
        reporterId,
        reason,
        note: reason === "OTHER" ? "Reads like an advertisement for a visa agency." : rand() < 0.3 ? "See the second sentence." : null,
        createdAt: new Date(firstFlag.getTime() + k * 3600_000),
      });
    });
  }

  // Appealed: hidden by a (former) moderator; the author appealed; queued at the appeal.
  const appeals: { contributionId: string; authorId: string; note: string; createdAt: Date }[] = [];
  for (let i = 0; i < opts.appealed; i++) {
    const createdAt = new Date(now - Math.floor(rand() * ninetyDays));
    const appealedAt = new Date(Math.min(now, createdAt.getTime() + Math.floor(rand() * 5 * DAY)));
    const r = make("HIDDEN", createdAt, appealedAt);
    r.version = 2;
    r.moderationReason = "Off topic for this paragraph.";
    rows.push(r);
    appeals.push({ contributionId: r.id, authorId: r.authorId, note: "The paragraph is exactly about this; please look again.", createdAt: appealedAt });
  }

  // Shuffle so that the heap order does not follow the queue order.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }

  const published = rows.filter((r) => r.status === "PUBLISHED");
  const history = Array.from({ length: opts.history }, () => {
    const c = pick(published);
    const action = pick(["HIDE", "REJECT", "PUBLISH", "HIDE"] as const);
    return {
      actorId: formerModerator.id,
      action,
      contributionId: c.id,
      targetUserId: c.authorId,
      fromStatus: action === "PUBLISH" ? "PENDING" : "PUBLISHED",
      toStatus: action === "PUBLISH" ? "PUBLISHED" : action === "HIDE" ? "HIDDEN" : "REJECTED",
      createdAt: new Date(now - 90 * DAY - Math.floor(rand() * 365 * DAY)),
    };
  });

  await withSql(async (conn) => {
    await insertContributions(conn, rows);
    await conn.query(
      `INSERT INTO "Flag" ("id", "contributionId", "reporterId", "reason", "note", "status", "createdAt")
       SELECT gen_random_uuid(), t.c, t.r, t.reason, t.note, 'OPEN', t.at
       FROM unnest($1::uuid[], $2::uuid[], $3::"FlagReason"[], $4::text[], $5::timestamptz[]) AS t(c, r, reason, note, at)`,
      [flags.map((f) => f.contributionId), flags.map((f) => f.reporterId), flags.map((f) => f.reason), flags.map((f) => f.note), flags.map((f) => f.createdAt)],
    );
    await conn.query(
      `INSERT INTO "Appeal" ("id", "contributionId", "authorId", "note", "status", "createdAt")
       SELECT gen_random_uuid(), t.c, t.a, t.note, 'OPEN', t.at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS t(c, a, note, at)`,
      [appeals.map((a) => a.contributionId), appeals.map((a) => a.authorId), appeals.map((a) => a.note), appeals.map((a) => a.createdAt)],
    );
    // History: what the former moderator did, most of it before the contributions above existed;
    // only the counts per author matter to the queue.
    await conn.query(
      `INSERT INTO "ModerationLog" ("id", "createdAt", "actorId", "action", "contributionId", "targetUserId", "fromStatus", "toStatus", "reason")
       SELECT gen_random_uuid(), t.at, t.actor, t.action, t.c, t.target, t.f, t.t, 'bench history'
       FROM unnest($1::timestamptz[], $2::uuid[], $3::"ModerationAction"[], $4::uuid[], $5::uuid[], $6::"ContributionStatus"[], $7::"ContributionStatus"[])
         AS t(at, actor, action, c, target, f, t)`,
      [
        history.map((h) => h.createdAt),
        history.map((h) => h.actorId),
        history.map((h) => h.action),
        history.map((h) => h.contributionId),
        history.map((h) => h.targetUserId),
        history.map((h) => h.fromStatus),
        history.map((h) => h.toStatus),
      ],
    );
    // Fresh statistics and visibility map, as autovacuum would leave them in production.
    await conn.exec(`VACUUM ANALYZE`);
  });

  return {
    articleIds: [...new Set(paragraphs.map((p) => p.articleId))],
    paragraphs: paragraphs.length,
    authors: authorIds.length,
    published: opts.published,
    pending: opts.pending,
    flagged: opts.flagged,
    openFlags: flags.length,
    appealed: opts.appealed,
    history: opts.history,
    queued: opts.pending + opts.flagged + opts.appealed,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Adds pending contributions until `target` are pending and queued, queued at random times
 * over the last `spreadDays` days (what new submissions under pre-moderation look like).
 * Returns how many were added.
 */
export async function topUpPending(
  db: Db,
  withSql: <T>(fn: (c: SqlConnection) => Promise<T>) => Promise<T>,
  target: number,
  spreadDays: number,
  seed: number,
): Promise<number> {
  const current = await db.contribution.count({ where: { status: "PENDING", queuedAt: { not: null }, deletedAt: null } });
  const missing = target - current;
  if (missing <= 0) return 0;
  const rand = mulberry32(seed);
  const paragraphs = await loadParagraphs(db);
  const authorIds = (await db.user.findMany({ where: { email: { startsWith: "bench-mod-" } }, select: { id: true } })).map((u) => u.id);
  const make = rowFactory(rand, paragraphs, authorIds);
  const now = Date.now();
  const rows = Array.from({ length: missing }, () => {
    const at = new Date(now - Math.floor(rand() * spreadDays * DAY));
    return make("PENDING", at, at);
  });
  await withSql((conn) => insertContributions(conn, rows));
  return missing;
}
