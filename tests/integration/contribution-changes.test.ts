import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { paragraphSummaries } from "@/lib/annotations/paragraph-summaries";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { listRevisions } from "@/lib/annotations/list-revisions";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { AppError, STATUS, type ErrorCode } from "@/lib/http/errors";
import { claim, longParagraph, testData, type LoadedArticle } from "./support/fixtures";

/**
 * Creating, editing and deleting contributions through the domain functions the routes call,
 * against a real database: who may do what, optimistic versions, and what a reader then sees.
 */

let db: Db;
let data: ReturnType<typeof testData>;
let article: LoadedArticle;
let author: CurrentUser;
let other: CurrentUser;
let moderator: CurrentUser;

beforeAll(async () => {
  db = await getDb();
  data = testData(db);
  article = await data.article([longParagraph(), longParagraph(), longParagraph()]);
  author = await data.user({ name: "Ada Author" });
  other = await data.user({ name: "Otto Other" });
  moderator = await data.user({ name: "Mona Moderator", role: "MODERATOR" });
});

afterAll(async () => {
  await data?.cleanup();
});

/** Runs `fn`, expects an AppError with `code`, and returns it. */
async function appError(code: ErrorCode, fn: () => Promise<unknown>): Promise<AppError> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

const row = (id: string) => db.contribution.findUniqueOrThrow({ where: { id } });

describe("createContribution", () => {
  it("stores the claim with its verified selector and returns it as the author's", async () => {
    const input = claim(article, 0, [10, 40], { body: "A note." });
    const c = await createContribution(author, article.slug, input);
    expect(c).toMatchObject({
      kind: "ANNOTATION",
      status: "PUBLISHED",
      body: "A note.",
      anchorId: article.paragraphs[0]!.anchorId,
      versionId: article.versionId,
      selector: { start: 10, end: 40, exact: article.paragraphs[0]!.text.slice(10, 40), wholeParagraph: false },
      author: { name: "Ada Author" },
      mine: true,
      version: 1,
      edited: false,
    });
    const stored = await row(c.id);
    expect(stored).toMatchObject({ authorId: author.id, paragraphId: article.paragraphs[0]!.id, articleId: article.articleId });
  });

  it("marks a claim on the whole paragraph", async () => {
    const c = await createContribution(author, article.slug, claim(article, 0, "whole"));
    expect(c.selector.wholeParagraph).toBe(true);
  });

  it("stores a source link's URL, title and stance", async () => {
    const c = await createContribution(
      author,
      article.slug,
      claim(article, 0, [0, 9], { kind: "SOURCE", source: { url: "https://example.org/report", stance: "REFUTES", title: "Report" } }),
    );
    expect(c.source).toEqual({
      url: "https://example.org/report",
      domain: "example.org",
      title: "Report",
      stance: "REFUTES",
      doi: null,
      archiveUrl: null,
      quote: null,
    });
  });

  it("keeps a source's DOI, archived copy and quoted passage as typed, and derives its domain", async () => {
    const source = {
      url: "https://WWW.Example.ORG/report?id=1",
      stance: "SUPPORTS" as const,
      doi: "https://doi.org/10.1000/xyz-123",
      archiveUrl: "https://web.archive.org/web/2026/https://www.example.org/report",
      quote: "Rents rose 40 per cent.\nMost in the capital.",
    };
    const c = await createContribution(author, article.slug, claim(article, 0, [0, 9], { kind: "SOURCE", source }));
    expect(c.source).toEqual({ ...source, domain: "example.org", title: null });
    const stored = await row(c.id);
    expect(stored.sourceDomain).toBe("example.org");
    expect(stored.sourceDoi).toBe("https://doi.org/10.1000/xyz-123");
  });

  it("records every text a contribution has had: as posted, then each edit", async () => {
    const c = await createContribution(author, article.slug, claim(article, 0, [0, 9], { kind: "SOURCE", source: { url: "https://example.org/a", stance: "SUPPORTS" } }));
    await updateContribution(author, c.id, { version: 1, body: "Second text.", source: { url: "https://example.org/b", stance: "REFUTES", quote: "Quoted." } });
    const revisions = await db.contributionRevision.findMany({ where: { contributionId: c.id }, orderBy: { version: "asc" } });
    expect(revisions.map((r) => [r.version, r.body, r.sourceUrl, r.stance, r.sourceQuote])).toEqual([
      [1, c.body, "https://example.org/a", "SUPPORTS", null],
      [2, "Second text.", "https://example.org/b", "REFUTES", "Quoted."],
    ]);
    // A stale edit changes nothing, so it adds no revision.
    await appError("stale", () => updateContribution(author, c.id, { version: 1, body: "Lost race.", source: { url: "https://example.org/c", stance: "CONTEXT" } }));
    expect(await db.contributionRevision.count({ where: { contributionId: c.id } })).toBe(2);

    // Readers read the history of what they can read, oldest first, paged by version.
    const all = await listRevisions(null, c.id, { limit: 20 });
    expect(all.items.map((r) => [r.version, r.body, r.source?.domain, r.source?.quote ?? null])).toEqual([
      [1, c.body, "example.org", null],
      [2, "Second text.", "example.org", "Quoted."],
    ]);
    expect(all.nextAfter).toBeNull();
    const first = await listRevisions(other, c.id, { limit: 1 });
    expect(first.items.map((r) => r.version)).toEqual([1]);
    expect((await listRevisions(other, c.id, { limit: 1, after: first.nextAfter! })).items.map((r) => r.version)).toEqual([2]);
    // Hidden: the author and moderators only; deleted: moderators only.
    await db.contribution.update({ where: { id: c.id }, data: { status: "HIDDEN" } });
    await appError("not_found", () => listRevisions(other, c.id, { limit: 20 }));
    await appError("not_found", () => listRevisions(null, c.id, { limit: 20 }));
    expect((await listRevisions(author, c.id, { limit: 20 })).items).toHaveLength(2);
    expect((await listRevisions(moderator, c.id, { limit: 20 })).items).toHaveLength(2);
    await db.contribution.update({ where: { id: c.id }, data: { deletedAt: new Date() } });
    await appError("not_found", () => listRevisions(author, c.id, { limit: 20 }));
    expect((await listRevisions(moderator, c.id, { limit: 20 })).items).toHaveLength(2);
  });

  it("refuses a quote that is not at those offsets, naming the field", async () => {
    const input = claim(article, 0, [10, 40]);
    const shifted = { ...input, selector: { ...input.selector, start: 11, end: 41, prefix: undefined, suffix: undefined } };
    const err = await appError("validation", () => createContribution(author, article.slug, shifted));
    expect(STATUS[err.code]).toBe(422);
    expect(err.details?.fields).toEqual([expect.objectContaining({ field: "selector.exact" })]);

    const pastEnd = { ...input, selector: { start: 0, end: 10_000, exact: input.selector.exact } };
    const err2 = await appError("validation", () => createContribution(author, article.slug, pastEnd));
    expect(err2.details?.fields?.[0]?.field).toBe("selector.end");

    const wrongPrefix = { ...input, selector: { ...input.selector, prefix: "not what precedes it" } };
    const err3 = await appError("validation", () => createContribution(author, article.slug, wrongPrefix));
    expect(err3.details?.fields?.[0]?.field).toBe("selector.prefix");
  });

  it("answers not_found for an unknown paragraph, version or article", async () => {
    const input = claim(article, 0, [0, 5]);
    await appError("not_found", () => createContribution(author, article.slug, { ...input, anchorId: "p-no-such-paragraph-000000" }));
    await appError("not_found", () => createContribution(author, article.slug, { ...input, versionId: randomUUID() }));
    await appError("not_found", () => createContribution(author, "no-such-article", input));
    // The paragraph exists, but in another article.
    const elsewhere = await data.article([longParagraph()]);
    await appError("not_found", () => createContribution(author, elsewhere.slug, input));
  });
});

describe("updateContribution", () => {
  it("lets the author edit: body saved verbatim, version incremented, updatedAt changed", async () => {
    const c = await createContribution(author, article.slug, claim(article, 1, [5, 25]));
    const before = await row(c.id);
    await new Promise((r) => setTimeout(r, 5));
    const body = "  Edited <b>not bold</b> & **bold**\n\n> quoted\r\n- item\t \u00e9\u0301 😀 ";
    const updated = await updateContribution(author, c.id, { version: 1, body });
    expect(updated).toMatchObject({ id: c.id, body, version: 2, edited: true, mine: true });
    const after = await row(c.id);
    expect(after.body).toBe(body);
    expect(after.version).toBe(2);
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(after.createdAt).toEqual(before.createdAt);
    expect(after.quoteExact).toBe(before.quoteExact);
  });

  it("lets the author change a source link's URL and stance", async () => {
    const c = await createContribution(author, article.slug, claim(article, 1, [0, 9], { kind: "SOURCE" }));
    const updated = await updateContribution(author, c.id, {
      version: 1,
      body: "Better source.",
      source: { url: "https://example.net/better", stance: "CONTEXT", title: undefined },
    });
    expect(updated.source).toMatchObject({ url: "https://example.net/better", domain: "example.net", title: null, stance: "CONTEXT", doi: null });
  });

  it("forbids another reader and a moderator, and leaves the row unchanged", async () => {
    const c = await createContribution(author, article.slug, claim(article, 1, [30, 60]));
    const before = await row(c.id);
    for (const user of [other, moderator]) {
      const err = await appError("forbidden", () => updateContribution(user, c.id, { version: 1, body: "Hijacked" }));
      expect(STATUS[err.code]).toBe(403);
    }
    expect(await row(c.id)).toEqual(before);
  });

  it("answers stale (409) for an old version, with the current state, and leaves the row unchanged", async () => {
    const c = await createContribution(author, article.slug, claim(article, 1, [61, 90]));
    await updateContribution(author, c.id, { version: 1, body: "Second version" });
    const before = await row(c.id);
    const err = await appError("stale", () => updateContribution(author, c.id, { version: 1, body: "Based on the first version" }));
    expect(STATUS[err.code]).toBe(409);
    expect(err.details?.current).toMatchObject({ id: c.id, version: 2, body: "Second version" });
    expect(await row(c.id)).toEqual(before);
  });

  it("lets exactly one of two concurrent edits of the same version win", async () => {
    const c = await createContribution(author, article.slug, claim(article, 1, [91, 120]));
    const results = await Promise.allSettled([
      updateContribution(author, c.id, { version: 1, body: "Edit A" }),
      updateContribution(author, c.id, { version: 1, body: "Edit B" }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: "stale" });
    expect((await row(c.id)).version).toBe(2);
  });

  it("answers not_found for an unknown id", async () => {
    await appError("not_found", () => updateContribution(author, randomUUID(), { version: 1, body: "x" }));
  });

  it("refuses a URL on a contribution that is not a source link, and a source link without one", async () => {
    const note = await createContribution(author, article.slug, claim(article, 1, [121, 130]));
    const err = await appError("validation", () =>
      updateContribution(author, note.id, { version: 1, body: "x", source: { url: "https://example.org", stance: "SUPPORTS", title: undefined } }),
    );
    expect(err.details?.fields?.[0]?.field).toBe("source");
    const src = await createContribution(author, article.slug, claim(article, 1, [131, 140], { kind: "SOURCE" }));
    await appError("validation", () => updateContribution(author, src.id, { version: 1, body: "x" }));
  });
});

describe("deleteContribution", () => {
  it("forbids another reader; the author deletes; then it is gone from the list and the counts", async () => {
    const p = 2;
    const anchorId = article.paragraphs[p]!.anchorId;
    const keep = await createContribution(other, article.slug, claim(article, p, [0, 20], { kind: "COUNTERPOINT" }));
    const c = await createContribution(author, article.slug, claim(article, p, [40, 80], { kind: "COUNTERPOINT" }));

    const list = () => listParagraphContributions(article.slug, anchorId, { limit: 50, viewerId: author.id });
    const counts = async () => (await paragraphSummaries(article.articleId)).get(anchorId);
    expect((await list()).items.map((i) => i.id)).toEqual([c.id, keep.id]);
    expect(await counts()).toMatchObject({ counts: { ANNOTATION: 0, COUNTERPOINT: 2, SOURCE: 0 }, highlights: [[0, 20], [40, 80]], top: { id: c.id } });

    await appError("forbidden", () => deleteContribution(other, c.id));
    await appError("forbidden", () => deleteContribution(moderator, c.id));
    await appError("stale", () => deleteContribution(author, c.id, 7));
    expect((await row(c.id)).deletedAt).toBeNull();

    await deleteContribution(author, c.id, 1);
    const deleted = await row(c.id);
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    expect((await list()).items.map((i) => i.id)).toEqual([keep.id]);
    // Gone from the counts, the highlights and the margin's teaser.
    expect(await counts()).toMatchObject({ counts: { ANNOTATION: 0, COUNTERPOINT: 1, SOURCE: 0 }, highlights: [[0, 20]], top: { id: keep.id } });
  });

  it("cannot edit or delete a deleted contribution (not_found), not even its author", async () => {
    const c = await createContribution(author, article.slug, claim(article, 2, [100, 110]));
    await deleteContribution(author, c.id);
    await appError("not_found", () => deleteContribution(author, c.id));
    await appError("not_found", () => updateContribution(author, c.id, { version: 2, body: "back from the dead" }));
  });

  it("answers not_found for an unknown id", async () => {
    await appError("not_found", () => deleteContribution(author, randomUUID()));
  });
});
