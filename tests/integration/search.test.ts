import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { createReply } from "@/lib/annotations/create-reply";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { listReplies } from "@/lib/annotations/list-replies";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { getDb, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { createAppeal } from "@/lib/moderation/create-appeal";
import { decide } from "@/lib/moderation/decide";
import { flagContribution } from "@/lib/moderation/flag-contribution";
import { listQueue } from "@/lib/moderation/list-queue";
import { queueQuerySchema } from "@/lib/moderation/schemas";
import { searchQuerySchema } from "@/lib/search/schemas";
import { queryRanked, rankedKeysSql, searchContributions, type SearchResult } from "@/lib/search/search-contributions";
import { claim, type LoadedArticle } from "./support/fixtures";
import { appError, moderationData, type TestUser } from "./support/moderation";

/**
 * Full-text search (lib/search, GET /api/search, /search; the queue's `q` filter): English
 * stemming, ranking, the article and kind filters, paging, and above all that a reader finds
 * exactly what the paragraph lists would show them — never a pending, hidden, rejected or deleted
 * contribution, nor a reply the thread would not let them open — while moderators find every
 * status in the queue. Every query carries this file's own word, so other files' rows never match.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let first: LoadedArticle;
let second: LoadedArticle;
let pre: LoadedArticle;
let alice: TestUser;
let bob: TestUser;
let readers: TestUser[];
let mod: TestUser;

/** A word no other file writes (letters only, so the stemmer leaves it alone in both places). */
const TAG = `zq${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}x`;

const search = (q: string, more: Record<string, string> = {}, viewerId: string | null = null) =>
  searchContributions({ ...searchQuerySchema.parse({ q, ...more }), viewerId });
const ids = (items: SearchResult[]) => items.map((i) => i.id);
const plain = (r: SearchResult) => r.snippet.map((s) => s.text).join("");
const marked = (r: SearchResult) => r.snippet.filter((s) => s.marked).map((s) => s.text);

const c: Record<string, string> = {};

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  first = await data.article(3);
  second = await data.article(1);
  pre = await data.article(1, "PRE_MODERATION");
  alice = await data.user({ name: "Alice Search" });
  bob = await data.user({ name: "Bob Search" });
  readers = [await data.user(), await data.user(), await data.user()];
  mod = await data.user({ role: "MODERATOR" });

  c.exiles = (await data.post(alice, first, { body: `${TAG} The exiles were running from the draft.` })).id;
  c.often = (await data.post(bob, first, { p: 1, kind: "COUNTERPOINT", body: `${TAG} sanctions, sanctions and more sanctions hurt the wrong people.` })).id;
  c.once = (await data.post(bob, second, { body: `${TAG} Western sanctions are one thing among many; banks, visas, rents and jobs are others.` })).id;
  c.source = (
    await createSourceOn(second, alice, `${TAG} The report on banks`, { title: "Closed accounts of emigrants", quote: "sanctions applied to every account" })
  ).id;
});

afterAll(async () => {
  await data?.cleanup();
});

async function createSourceOn(article: LoadedArticle, author: TestUser, body: string, src: { title: string; quote: string }) {
  const input = claim(article, 0, [0, 20], { kind: "SOURCE", body, source: { url: "https://example.org/report", stance: "SUPPORTS", title: src.title } });
  return createContribution(author, article.slug, { ...input, source: { ...input.source!, quote: src.quote } });
}

describe("words, stems and ranking", () => {
  it("finds English words by their stem (exile → exiles, run → running), with the matched words marked", async () => {
    const page = await search(`${TAG} exile run`);
    expect(ids(page.items)).toEqual([c.exiles]);
    const r = page.items[0]!;
    expect(marked(r).map((w) => w.toLowerCase())).toEqual(expect.arrayContaining(["exiles", "running"]));
    expect(plain(r)).toContain("The exiles were running from the draft");
    expect(r).toMatchObject({
      kind: "ANNOTATION",
      author: { name: "Alice Search" },
      article: { slug: first.slug, title: `Test article ${first.slug}` },
      anchorId: first.paragraphs[0]!.anchorId,
      paragraph: 1,
      href: `/articles/${first.slug}?contribution=${c.exiles}#${first.paragraphs[0]!.anchorId}`,
      inReplyTo: null,
      source: null,
    });
    expect(r.quote.length).toBeGreaterThan(0);
    expect(first.paragraphs[0]!.text).toContain(r.quote);
  });

  it("ranks by ts_rank_cd: the word three times over once; in the body over a source's quoted passage", async () => {
    const page = await search(`${TAG} sanction`);
    expect(ids(page.items)).toEqual([c.often, c.once, c.source]);
    expect(marked(page.items[2]!)).toContain("sanctions"); // the match in the quoted passage is in the snippet
    expect(page.items[2]!.source).toEqual({ title: "Closed accounts of emigrants", domain: "example.org" });
  });

  it("understands websearch syntax: a quoted phrase, or, and -word", async () => {
    expect(ids((await search(`${TAG} "wrong people"`)).items)).toEqual([c.often]);
    expect(ids((await search(`${TAG} "people wrong"`)).items)).toEqual([]);
    expect(new Set(ids((await search(`${TAG} draft or visas`)).items))).toEqual(new Set([c.exiles, c.once]));
    expect(ids((await search(`${TAG} sanctions -banks`)).items)).toEqual([c.often]);
  });

  it("searches a source's title and its quoted passage", async () => {
    expect(ids((await search(`${TAG} emigrant`)).items)).toEqual([c.source]);
    expect(ids((await search(`${TAG} "applied to every account"`)).items)).toEqual([c.source]);
  });

  it("says so when the words are all too common to be indexed", async () => {
    const page = await search("the and of");
    expect(page).toEqual({ items: [], nextCursor: null, onlyCommonWords: true });
  });

  it("follows an edit (the generated column is kept by PostgreSQL)", async () => {
    const id = (await data.post(alice, first, { p: 2, body: `${TAG} before the edit` })).id;
    await updateContribution(alice, id, { version: 1, body: `${TAG} afterwards: oligarchs` });
    expect(ids((await search(`${TAG} oligarch`)).items)).toEqual([id]);
    expect(ids((await search(`${TAG} before edit`)).items)).toEqual([]);
    await deleteContribution(alice, id, 2);
  });

  it("returns user text as plain pieces (never HTML), whatever it contains", async () => {
    const id = (await data.post(alice, first, { p: 2, body: `${TAG} <b>bold</b> claims <img src=x onerror=alert(1)> here` })).id;
    const r = (await search(`${TAG} bold claim`)).items[0]!;
    expect(r.id).toBe(id);
    // ts_headline leaves out what its parser takes for a tag ("<b>"); the rest is the text as written.
    expect(plain(r)).toContain("bold claims <img src=x onerror=alert(1)>");
    expect(marked(r)).toEqual(expect.arrayContaining(["bold", "claims"]));
    expect(r.snippet.every((s) => typeof s.text === "string" && !s.text.includes("\uE000"))).toBe(true);
  });
});

describe("filters and paging", () => {
  it("filters by article and by kind", async () => {
    expect(new Set(ids((await search(`${TAG} sanctions`, { article: second.slug })).items))).toEqual(new Set([c.once, c.source]));
    expect(ids((await search(`${TAG} sanctions`, { kind: "COUNTERPOINT" })).items)).toEqual([c.often]);
    expect(ids((await search(`${TAG} sanctions`, { kind: "SOURCE", article: second.slug })).items)).toEqual([c.source]);
    expect(ids((await search(`${TAG} sanctions`, { kind: "SOURCE", article: first.slug })).items)).toEqual([]);
  });

  it("answers 404 for an unknown article and 422 for a forged cursor or no words", async () => {
    await appError("not_found", () => search(`${TAG} sanctions`, { article: `no-such-${TAG}` }));
    await appError("validation", () => search(`${TAG} sanctions`, { cursor: Buffer.from(`1e99|x`).toString("base64url") }));
    expect(searchQuerySchema.safeParse({ q: "   " }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ q: "x".repeat(201) }).success).toBe(false);
  });

  it("pages 20 at a time, best first, without duplicates or gaps (ties broken by id)", async () => {
    const word = `${TAG}paging`;
    const made: string[] = [];
    for (let i = 0; i < 45; i++) {
      // Three ranks (the word once, twice, three times), fifteen of each: ties across page ends.
      const body = `${Array.from({ length: 1 + (i % 3) }, () => word).join(" and ")} number ${i}`;
      made.push((await data.post(bob, second, { body })).id);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    let ranks: string[] = [];
    do {
      const page = await searchContributions({ ...searchQuerySchema.parse({ q: word, ...(cursor ? { cursor } : {}) }), viewerId: null });
      sizes.push(page.items.length);
      seen.push(...ids(page.items));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([20, 20, 5]);
    expect(new Set(seen).size).toBe(45);
    expect(new Set(seen)).toEqual(new Set(made));
    // The same order as one big ranked list.
    const all = await queryRanked<{ id: string; rank: string }>(db, rankedKeysSql({ q: word, viewerId: null, limit: 100 }));
    expect(seen).toEqual(all.map((r) => r.id));
    ranks = all.map((r) => r.rank);
    expect(new Set(ranks).size).toBe(3);
    expect([...ranks].sort((a, b) => Number(b) - Number(a))).toEqual(ranks);
    // The three-times ones first.
    expect(seen.slice(0, 15).every((id) => made.indexOf(id) % 3 === 2)).toBe(true);
  });
});

describe("what readers may find: exactly what the paragraph lists show", () => {
  const word = `${TAG}hidden`;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    const p = 2;
    // Not published: pending (pre-moderation), hidden, rejected, deleted by its author.
    t.pending = (await data.post(alice, pre, { body: `${word} pending` })).id;
    t.hidden = (await data.post(alice, first, { p, body: `${word} hidden` })).id;
    await decide(mod, "HIDE", [{ id: t.hidden, version: 1 }], "Rude");
    t.rejected = (await data.post(bob, pre, { body: `${word} rejected` })).id;
    await decide(mod, "REJECT", [{ id: t.rejected, version: 1 }], "Off-topic");
    t.deleted = (await data.post(alice, first, { p, body: `${word} deleted` })).id;
    await deleteContribution(alice, t.deleted, 1);
    t.autoHidden = (await data.post(bob, first, { p, body: `${word} reported` })).id;
    for (const r of readers) await flagContribution(r, t.autoHidden, { reason: "HARASSMENT" });

    // Threads: a published reply under a hidden reply of a published root is reachable (the
    // hidden one is a placeholder with a visible reply) ...
    t.root1 = (await data.post(alice, first, { p, body: `${word} thread root one` })).id;
    t.mid1 = (await createReply(bob, t.root1, { kind: "ANNOTATION", body: `${word} thread middle one` })).id;
    t.leaf1 = (await createReply(alice, t.mid1, { kind: "ANNOTATION", body: `${word} thread leaf one` })).id;
    await decide(mod, "HIDE", [{ id: t.mid1, version: 1 }], "Rude");
    // ... but not under two removed ones in a row (a hidden root whose only reply is hidden).
    t.root2 = (await data.post(alice, first, { p, body: `${word} thread root two` })).id;
    t.mid2 = (await createReply(bob, t.root2, { kind: "ANNOTATION", body: `${word} thread middle two` })).id;
    t.leaf2 = (await createReply(alice, t.mid2, { kind: "COUNTERPOINT", body: `${word} thread leaf two` })).id;
    await decide(mod, "HIDE", [{ id: t.mid2, version: 1 }, { id: t.root2, version: 1 }], "Rude");
    // A deleted root keeps its visible reply reachable.
    t.root3 = (await data.post(bob, first, { p, body: `${word} thread root three` })).id;
    t.leaf3 = (await createReply(alice, t.root3, { kind: "SOURCE", body: `${word} thread leaf three`, source: { url: "https://example.org/x", stance: "REFUTES" } })).id;
    await deleteContribution(bob, t.root3, 1);
    t.published = (await data.post(bob, first, { p, body: `${word} published` })).id;

    // Rejected, then appealed: back in the queue.
    await createAppeal(bob, t.rejected, "Please look again");
  });

  /** Everything a viewer can read by opening the paragraph's list and every thread in it. */
  async function readableInLists(article: LoadedArticle, p: number, viewerId: string | null): Promise<Set<string>> {
    const out = new Set<string>();
    const visit = async (items: { id: string; placeholder: string | null; status: string; replyCount: number }[]): Promise<void> => {
      for (const i of items) {
        if (!i.placeholder && i.status === "PUBLISHED") out.add(i.id);
        if (i.replyCount > 0) await visit((await listReplies(i.id, { limit: 100, viewerId })).items);
      }
    };
    const top = await listParagraphContributions(article.slug, article.paragraphs[p]!.anchorId, { limit: 100, viewerId, sort: "newest" });
    await visit(top.items);
    return out;
  }

  it("never shows a pending, hidden, rejected, deleted or reported-and-hidden contribution, nor an unreachable reply", async () => {
    const found = new Set(ids((await search(word)).items));
    expect(found).toEqual(new Set([t.root1, t.leaf1, t.leaf3, t.published]));
    for (const k of ["pending", "hidden", "rejected", "deleted", "autoHidden", "mid1", "root2", "mid2", "leaf2", "root3"]) expect(found.has(t[k]!), k).toBe(false);
  });

  it("finds exactly what the paragraph list and its threads let the same viewer read (anonymous, a reader, the author)", async () => {
    for (const viewer of [null, readers[0]!.id, alice.id]) {
      const found = new Set(ids((await search(word, { article: first.slug }, viewer)).items));
      // This block's contributions (the paragraph also holds other tests' rows without the word).
      const mine = new Set(Object.values(t));
      const listed = new Set([...(await readableInLists(first, 2, viewer))].filter((id) => mine.has(id)));
      expect(listed.size).toBeGreaterThanOrEqual(4);
      expect(found, `viewer ${viewer}`).toEqual(listed);
    }
  });

  it("is published-only for authors too (their own pending and hidden ones are at /me/contributions)", async () => {
    const found = new Set(ids((await search(word, {}, alice.id)).items));
    expect(found.has(t.pending!)).toBe(false);
    expect(found.has(t.hidden!)).toBe(false);
  });

  it("lets moderators find every status in the queue with `q`, combined with the other filters", async () => {
    const queue = async (q: Record<string, string>) => (await listQueue(mod, queueQuerySchema.parse({ limit: "100", ...q }))).items;
    const all = await queue({ q: word });
    expect(new Set(all.map((i) => i.id))).toEqual(new Set([t.pending, t.rejected, t.autoHidden]));
    expect(new Set(all.map((i) => i.status))).toEqual(new Set(["PENDING", "REJECTED", "HIDDEN"]));
    expect((await queue({ q: `${word} pending` })).map((i) => i.id)).toEqual([t.pending]);
    expect((await queue({ q: word, status: "HIDDEN" })).map((i) => i.id)).toEqual([t.autoHidden]);
    expect((await queue({ q: word, reason: "HARASSMENT" })).map((i) => i.id)).toEqual([t.autoHidden]);
    expect((await queue({ q: word, author: "Bob Search" })).map((i) => i.id).sort()).toEqual([t.rejected, t.autoHidden].sort());
    expect((await queue({ q: word, author: "Bob%" })).map((i) => i.id)).toEqual([]);
    expect((await queue({ q: word, article: pre.slug })).map((i) => i.id).sort()).toEqual([t.pending, t.rejected].sort());
    expect((await queue({ q: word, kind: "COUNTERPOINT" })).map((i) => i.id)).toEqual([]);
    expect(await queue({ q: `${word} -pending -rejected -reported` })).toEqual([]);
  });

  it("pages the queue's search in queue order, both ways", async () => {
    for (const order of ["oldest", "newest"]) {
      const whole = (await listQueue(mod, queueQuerySchema.parse({ q: word, order, limit: "100" }))).items.map((i) => i.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listQueue(mod, queueQuerySchema.parse({ q: word, order, limit: "1", ...(cursor ? { cursor } : {}) }));
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(whole);
    }
  });

  it("keeps the queue to moderators", async () => {
    await appError("forbidden", () => listQueue(readers[0]!, queueQuerySchema.parse({ q: word })));
  });
});

describe("the query plan", () => {
  it("finds the matches through the GIN index on a few thousand contributions", async () => {
    const v = second;
    const para = v.paragraphs[0]!;
    const rare = `${TAG}needle`;
    await db.$executeRaw`
      INSERT INTO "Contribution" (id, kind, body, "articleId", "articleVersionId", "paragraphId", "anchorId", "quoteExact", "quotePrefix", "quoteSuffix", "startOffset", "endOffset", "authorId", "updatedAt")
      SELECT gen_random_uuid(), 'ANNOTATION',
             'Contribution ' || i || ' about exiles, sanctions and the war. ' || repeat('The claim rests on a figure the cited report does not support; consider the base rate. ', 1 + i % 4)
               || CASE WHEN i % 500 = 0 THEN ' ' || ${rare} ELSE '' END,
             ${v.articleId}::uuid, ${v.versionId}::uuid, ${para.id}::uuid, ${para.anchorId}, 'x', '', '', 0, 1, ${bob.id}::uuid, now()
      FROM generate_series(1, 5000) AS i`;
    // As autovacuum would: new entries wait in the GIN index's pending list, which the planner
    // counts against the index until it is merged.
    await db.$queryRawUnsafe(`SELECT gin_clean_pending_list('"Contribution_search_idx"'::regclass)`);
    await db.$executeRawUnsafe(`ANALYZE "Contribution"`);
    const plan = await queryRanked<{ "QUERY PLAN": string }>(db, Prisma.sql`EXPLAIN ${rankedKeysSql({ q: rare, viewerId: null, limit: 21 })}`);
    const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Bitmap Index Scan on "Contribution_search_idx"/);
    expect(text).not.toMatch(/Seq Scan on "Contribution" x\b/);
    // The GIN index alone: not ANDed with a bitmap of every published row.
    expect(text).not.toMatch(/BitmapAnd/);
    expect((await search(rare)).items).toHaveLength(10);
  });
});
