import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContribution } from "@/lib/annotations/create-contribution";
import { listParagraphContributions } from "@/lib/annotations/list-contributions";
import { authOptions } from "@/lib/auth/options";
import type { CurrentUser } from "@/lib/auth/session";
import { closeDb, getDb, withSql, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { resetEnvCache } from "@/lib/env";
import { errorResponse, handler, json } from "@/lib/http/respond";
import { hit } from "@/lib/rate-limit/consume";
import { LIMITS } from "@/lib/rate-limit/limits";
import { cuttableProxy, type CuttableProxy } from "./support/cuttable-proxy";
import { claim, longParagraph, suffix, testData, type LoadedArticle } from "./support/fixtures";
import { onServer } from "./support/moderation";

/**
 * A database that goes away (a restart, a failover, a network cut) while the app runs: every
 * request answers 503 {code: "unavailable"} with Retry-After — not a 500, not a hang — and the
 * same process recovers by itself once the database is back (no dead pooled connections kept).
 * The app reaches the run's PostgreSQL through a TCP proxy that the test cuts and restores
 * (tests/integration/support/cuttable-proxy.ts). Timing is measured in bench/load.mts
 * (docs/perf.md), not here.
 */

/** What the client sees for an error, as handler() answers it. */
async function answer(fn: () => Promise<unknown>) {
  const res = await handler(async () => json(await fn()))();
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as { error?: { code: string; message: string } } };
}

function expectUnavailable(a: Awaited<ReturnType<typeof answer>>) {
  expect(a.status).toBe(503);
  expect(a.body.error).toEqual({ code: "unavailable", message: "The database is unavailable; try again shortly.", retryAfterSeconds: 5 });
  expect(a.retryAfter).toBe("5");
}

/**
 * Requests until one succeeds (at most `tries`, 200 ms apart): the statuses seen. A pooled
 * connection whose end the pool has not noticed yet fails on its next use (seen after a cut
 * mid-transaction: one or two requests); each such failure must be a 503, never a 500.
 */
async function untilRecovered(fn: () => Promise<unknown>, tries = 20): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < tries; i++) {
    const a = await answer(fn);
    seen.push(a.status);
    if (a.status === 200) break;
    expectUnavailable(a);
    await new Promise((r) => setTimeout(r, 200));
  }
  return seen;
}

describe.runIf(onServer)("the database goes away while the app runs", () => {
  let proxy: CuttableProxy;
  let db: Db;
  let data: ReturnType<typeof testData>;
  let article: LoadedArticle;
  let author: CurrentUser;
  const realUrl = process.env.DATABASE_URL!;

  beforeAll(async () => {
    proxy = await cuttableProxy(realUrl);
    // This file's app client talks to the database through the proxy.
    await closeDb();
    process.env.DATABASE_URL = proxy.url;
    resetEnvCache();
    db = await getDb();
    data = testData(db);
    article = await data.article([longParagraph(), longParagraph()]);
    author = await data.user();
    // Several pooled connections open and idle, as on a busy server.
    await Promise.all(Array.from({ length: 6 }, () => db.user.count()));
  });

  afterAll(async () => {
    await proxy?.up();
    await data?.cleanup();
    await closeDb();
    await proxy?.close();
    process.env.DATABASE_URL = realUrl;
    resetEnvCache();
  });

  const list = () => listParagraphContributions(article.slug, article.paragraphs[0]!.anchorId, { limit: 20, viewerId: null });
  const post = (body: string) => createContribution(author, article.slug, claim(article, 0, "whole", { body }));

  it("refused connections: reads, writes, raw SQL and rate limits answer 503 with Retry-After", async () => {
    await proxy.down();
    expectUnavailable(await answer(list));
    expectUnavailable(await answer(() => post(`while down ${suffix()}`)));
    expectUnavailable(await answer(() => db.$transaction(async (tx) => tx.user.count())));
    expectUnavailable(await answer(() => withSql((c) => c.query("SELECT 1"))));
    expectUnavailable(await answer(() => hit(`test:${suffix()}`, LIMITS.post)));
  });

  it("back up: the same process answers again at once, with no dead pooled connection in the way", async () => {
    await proxy.up();
    // Every request of a burst larger than the pool succeeds: no pooled connection is a dead one.
    const results = await Promise.all(Array.from({ length: 15 }, () => answer(list)));
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(200));
    const body = `after the outage ${suffix()}`;
    expect((await answer(() => post(body))).status).toBe(200);
    expect(await db.contribution.count({ where: { body } })).toBe(1);
  });

  it("connections cut mid-transaction: 503, nothing half-written, then recovery", async () => {
    await Promise.all(Array.from({ length: 4 }, () => db.user.count()));
    const body = `cut mid-transaction ${suffix()}`;
    const tx = answer(() =>
      db.$transaction(async (t) => {
        await t.contribution.create({ data: { ...(await contributionData(body)) } });
        await t.$queryRaw`SELECT pg_sleep(2)`;
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    await proxy.down();
    expectUnavailable(await tx);
    await proxy.up();
    expect((await untilRecovered(list)).at(-1)).toBe(200);
    expect(await db.contribution.count({ where: { body } })).toBe(0);
  });

  it("a silent network (connections accepted, never answered): 503 after the connect timeout, not a hang", async () => {
    await proxy.silent();
    // Let the pool notice that its open connections were closed: the next query must connect anew.
    await new Promise((r) => setTimeout(r, 300));
    expectUnavailable(await answer(list));
    await proxy.up();
    expect((await untilRecovered(list)).at(-1)).toBe(200);
  });

  it("a signed-in user is not signed out by an outage: the session callback keeps the session", async () => {
    const session = { expires: new Date(Date.now() + 3600_000).toISOString(), user: {} };
    const callback = authOptions().callbacks!.session! as unknown as (a: unknown) => Promise<{ user?: { id?: string } }>;
    await proxy.down();
    expect((await callback({ session, token: { uid: author.id } })).user?.id).toBe(author.id);
    await proxy.up();
    expect(await callback({ session, token: { uid: author.id } })).toMatchObject({ user: { id: author.id, name: author.name } });
  });

  async function contributionData(body: string) {
    const p = article.paragraphs[1]!;
    return {
      kind: "ANNOTATION" as const,
      status: "PUBLISHED" as const,
      body,
      articleId: article.articleId,
      articleVersionId: article.versionId,
      paragraphId: p.id,
      anchorId: p.anchorId,
      quoteExact: p.text,
      quotePrefix: "",
      quoteSuffix: "",
      startOffset: 0,
      endOffset: p.text.length,
      wholeParagraph: true,
      authorId: author.id,
    };
  }
});

describe("which errors mean 'the database is unavailable'", () => {
  it("a raw connection to a closed port is a 503; a bad query on a live server is not", async () => {
    const closed = new pg.Client({ host: "127.0.0.1", port: 1, connectionTimeoutMillis: 2000 });
    const err = await closed.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(errorResponse(err).status).toBe(503);
    const db = await getDb();
    const bad = await db.$queryRawUnsafe("SELECT * FROM no_such_table").catch((e: unknown) => e);
    expect(isDatabaseUnavailable(bad)).toBe(false);
  });
});
