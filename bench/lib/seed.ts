import { randomUUID } from "node:crypto";
import { mulberry32, picker, randomBody, randomClaim, randomSource, wordStartsOf } from "./random";
import { withSql, type Db } from "@/lib/db/client";
import type { ContributionKind, ContributionStatus, SourceStance } from "@/lib/generated/prisma/enums";

/**
 * Fills a freshly migrated database with a realistic discussion: N contributions over the
 * paragraphs of one article, from a few hundred authors. Deterministic (seeded PRNG), so two
 * runs seed the same rows. Every selector is valid: the quote is the paragraph text between
 * the offsets, with the app's own 32-character prefix/suffix (selectorFor).
 *
 * Mix: 50% annotations, 30% counterpoints, 20% source links; 15% whole-paragraph claims,
 * the rest spans of 3–25 words; 94% published, 3% pending, 2% hidden, 1% rejected, and 1%
 * soft-deleted. Paragraphs are picked with a Zipf-like skew (s = 1) over a shuffled order,
 * so a few paragraphs are hot (the hottest gets ~2,700) and every one has some.
 */

export interface SeedOptions {
  slug: string;
  contributions: number;
  authors: number;
  batchSize?: number;
  seed?: number;
}

export interface SeedResult {
  articleId: string;
  paragraphs: { anchorId: string; count: number; published: number }[];
  published: number;
  authors: number;
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
  paragraphId: string;
  anchorId: string;
  quoteExact: string;
  quotePrefix: string;
  quoteSuffix: string;
  startOffset: number;
  endOffset: number;
  wholeParagraph: boolean;
  authorId: string;
  createdAt: Date;
  deletedAt: Date | null;
}

export async function seedContributions(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const rand = mulberry32(opts.seed ?? 20261127);
  const pick = picker(rand);
  const article = await db.article.findUniqueOrThrow({
    where: { slug: opts.slug },
    select: {
      id: true,
      versions: {
        orderBy: { number: "desc" },
        take: 1,
        select: { id: true, number: true, paragraphs: { orderBy: { position: "asc" }, select: { id: true, anchorId: true, text: true } } },
      },
    },
  });
  const version = article.versions[0];
  if (!version || version.paragraphs.length === 0) throw new Error(`Article ${opts.slug} has no paragraphs`);
  const paragraphs = version.paragraphs;

  // Authors: not able to sign in (the hash is not an argon2 hash).
  const authorEmails = Array.from({ length: opts.authors }, (_, i) => `bench-${i}@bench.invalid`);
  await db.user.createMany({
    data: authorEmails.map((email, i) => ({ email, name: `Bench reader ${i}`, passwordHash: "!bench-cannot-sign-in" })),
    skipDuplicates: true,
  });
  const authorIds = (await db.user.findMany({ where: { email: { in: authorEmails } }, select: { id: true } })).map((u) => u.id);

  // Zipf-like weights over a shuffled paragraph order.
  const order = paragraphs.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const weights = new Array<number>(paragraphs.length).fill(0);
  order.forEach((p, rank) => (weights[p] = 1 / (rank + 1)));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w / total), 0);
  const pickParagraph = () => {
    const r = rand();
    const i = cumulative.findIndex((c) => r < c);
    return i === -1 ? paragraphs.length - 1 : i;
  };

  // Word starts per paragraph, for word-aligned spans.
  const wordStarts = paragraphs.map((p) => wordStartsOf(p.text));

  const now = Date.now();
  const ninetyDays = 90 * 24 * 3600 * 1000;
  const counts = paragraphs.map(() => ({ count: 0, published: 0 }));
  let published = 0;
  const rows: Row[] = [];
  for (let k = 0; k < opts.contributions; k++) {
    const pi = pickParagraph();
    const p = paragraphs[pi]!;
    const r = rand();
    const kind: ContributionKind = r < 0.5 ? "ANNOTATION" : r < 0.8 ? "COUNTERPOINT" : "SOURCE";
    const s = rand();
    const status: ContributionStatus = s < 0.94 ? "PUBLISHED" : s < 0.97 ? "PENDING" : s < 0.99 ? "HIDDEN" : "REJECTED";
    const deleted = rand() < 0.01;
    const { whole, selector: sel } = randomClaim(p.text, wordStarts[pi]!, rand);
    const body = randomBody(rand);
    const createdAt = new Date(now - Math.floor(rand() * ninetyDays));
    const isSource = kind === "SOURCE";
    rows.push({
      id: randomUUID(),
      kind,
      status,
      body,
      ...randomSource(isSource, rand),
      paragraphId: p.id,
      anchorId: p.anchorId,
      quoteExact: sel.exact,
      quotePrefix: sel.prefix,
      quoteSuffix: sel.suffix,
      startOffset: sel.start,
      endOffset: sel.end,
      wholeParagraph: whole,
      authorId: pick(authorIds),
      createdAt,
      deletedAt: deleted ? new Date(createdAt.getTime() + 3600_000) : null,
    });
    counts[pi]!.count++;
    if (status === "PUBLISHED" && !deleted) {
      counts[pi]!.published++;
      published++;
    }
  }

  // Bulk insert: one INSERT … SELECT FROM unnest(arrays) per batch, over the app's own raw
  // SQL connection (Prisma's createMany took ~1 s per 1,000 rows here; the whole seed now ~2 s).
  const batchSize = opts.batchSize ?? 5000;
  await withSql(async (conn) => {
    // Seeded rows are a state, not news: no live events for them (the Contribution trigger, ADR 0040,
    // and the foreign-key checks are skipped for this session only; the generator keeps the keys right).
    // The default-placement trigger is skipped too, so each row carries its placement (its own claim).
    await conn.exec(`SET session_replication_role = replica`);
    for (let i = 0; i < rows.length; i += batchSize) {
      const batch = rows.slice(i, i + batchSize);
      const col = <K extends keyof Row>(k: K) => batch.map((r) => r[k]);
      await conn.query(
        `INSERT INTO "Contribution" ("id", "kind", "status", "body", "sourceUrl", "sourceTitle", "stance",
           "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix",
           "startOffset", "endOffset", "wholeParagraph", "authorId", "createdAt", "updatedAt", "deletedAt",
           "placedAnchorId", "placedStart", "placedEnd", "placedExact", "placedPrefix", "placedSuffix", "placedWhole", "placedSince")
         SELECT t.id, t.kind, t.status, t.body, t."sourceUrl", t."sourceTitle", t.stance,
           $1::uuid, $2::uuid, t."paragraphId", t."anchorId", t."quoteExact", t."quotePrefix", t."quoteSuffix",
           t."startOffset", t."endOffset", t."wholeParagraph", t."authorId", t."createdAt", t."createdAt", t."deletedAt",
           t."anchorId", t."startOffset", t."endOffset", t."quoteExact", t."quotePrefix", t."quoteSuffix", t."wholeParagraph", $21::int
         FROM unnest($3::uuid[], $4::"ContributionKind"[], $5::"ContributionStatus"[], $6::text[], $7::text[], $8::text[],
           $9::"SourceStance"[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[],
           $17::boolean[], $18::uuid[], $19::timestamptz[], $20::timestamptz[])
           AS t(id, kind, status, body, "sourceUrl", "sourceTitle", stance, "paragraphId", "anchorId", "quoteExact",
                "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "wholeParagraph", "authorId", "createdAt", "deletedAt")`,
        [
          article.id,
          version.id,
          col("id"),
          col("kind"),
          col("status"),
          col("body"),
          col("sourceUrl"),
          col("sourceTitle"),
          col("stance"),
          col("paragraphId"),
          col("anchorId"),
          col("quoteExact"),
          col("quotePrefix"),
          col("quoteSuffix"),
          col("startOffset"),
          col("endOffset"),
          col("wholeParagraph"),
          col("authorId"),
          col("createdAt"),
          col("deletedAt"),
          version.number,
        ],
      );
    }
    await conn.exec(`SET session_replication_role = DEFAULT`);
    // Fresh statistics and visibility map, as autovacuum would leave them in production.
    await conn.exec(`VACUUM ANALYZE`);
  });
  return {
    articleId: article.id,
    paragraphs: paragraphs.map((p, i) => ({ anchorId: p.anchorId, ...counts[i]! })),
    published,
    authors: authorIds.length,
    seconds: (performance.now() - t0) / 1000,
  };
}
