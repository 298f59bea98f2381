/**
 * The bad-input suite: every route handler and every page, discovered from the code (as the
 * authorization matrix does), sent generated bad input with fast-check — in the path, the query,
 * the body, the content type and the credentials. The properties, for every request:
 *
 *   1. never a 5xx;
 *   2. never a stack trace or a server file path in the answer;
 *   3. never a change to the database when the answer is a 4xx.
 *
 * Each request starts from a VALID request for its route (real slug, anchor and ids made for the
 * test, a body the route accepts) and breaks at least one thing in it, so the bad value reaches
 * the parsing and the code behind it rather than stopping at the first check. On a failure
 * fast-check shrinks to a minimal request and prints it with the seed (FUZZ_SEED=… to replay).
 *
 * "The database" for property 3 is a fingerprint of every table (row count and an md5 of all
 * rows) except RateLimitBucket: counting refused attempts (a 429, a failed sign-in) is what
 * rate limits are for; and the email digests (a DIGEST email and a person's lastDigestAt), which the
 * clock sends, not a request. After a 2xx the suite waits for export jobs, mail and the notifier
 * it may have set going, so background writes are never blamed on a 4xx.
 * The fingerprint needs the database: E2E_DATABASE_URL (a PostgreSQL server, as in CI). With
 * the embedded database the server holds it alone; properties 1 and 2 are still checked and
 * the database test reports itself skipped with the reason (never silently).
 *
 * Bounded: a fixed seed and FUZZ_RUNS requests per route (default 25); a few minutes in all.
 */
import path from "node:path";
import fc from "fast-check";
import pg from "pg";
import { request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import { ARTICLE_SLUG, ArticlePage, createUser, e2eArticleSlug, expect, newUserData, test, wholeParagraph, type TestUser } from "./fixtures";
import { STAFF } from "./moderation-fixtures";
import { badEscapes, badJsonValue, badString, encodeLoosely, forgedCursor, serialise, valuePaths, withValue } from "../support/bad-input";
import { routeHandlers, routeSegments, walk } from "../support/route-handlers";
import { signUnsubscribeToken } from "../../lib/mail/unsubscribe-token";

/** This spec writes only to this paragraph (see PARAGRAPH / MOD_PARAGRAPH / MATRIX_PARAGRAPH). */
const FUZZ_PARAGRAPH = 19;
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const DATABASE_URL = process.env.E2E_DATABASE_URL;
const ROOT = process.cwd();

const CALLERS = ["anonymous", "reader", "moderator", "admin"] as const;
type Caller = (typeof CALLERS)[number];

// ---------------------------------------------------------------- what a valid request looks like

/** What the routes are given to act on; contributions are fresh per route (a DELETE may succeed). */
interface Fx {
  baseURL: string;
  api: Record<Caller, APIRequestContext>;
  /** The reader's csrf token per caller context (next-auth's POSTs need one). */
  csrf: Record<Caller, string>;
  reader: TestUser;
  anchorId: string;
  versionId: string;
  text: string;
  targetUserId: string;
  studyId: string;
  exportId: string;
  tokenId: string;
  contribution: { id: string; version: number };
}

type Body = { json: unknown } | { form: Record<string, string> };

interface Sample {
  /** Values for the route's dynamic segments ([...x] takes a "/"-joined value). */
  params?: (fx: Fx) => Record<string, string>;
  query?: (fx: Fx) => Record<string, string>;
  body?: (fx: Fx) => Body;
}

const future = () => new Date(Date.now() + 86_400_000).toISOString();

/** One valid request per route handler, keyed "METHOD /template". A handler missing here fails the discovery test. */
const SAMPLES: Record<string, Sample> = {
  "POST /api/admin/contributions/[id]/reattach": {
    params: (fx) => ({ id: fx.contribution.id }),
    body: () => ({ json: { anchorId: "p-fuzz", selector: { start: 0, end: 4, exact: "Fuzz" }, version: 1, reason: "Fuzz" } }),
  },
  "POST /api/admin/appeals": { body: (fx) => ({ json: { contributionId: fx.contribution.id, version: fx.contribution.version, uphold: false, reason: "Fuzz" } }) },
  "POST /api/admin/articles": {
    body: () => ({ json: { slug: `fuzz-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, title: "Fuzz article", publisher: "Fuzz", date: "2026-12-03", body: "One.\n\nTwo." } }),
  },
  "POST /api/admin/articles/preview": { body: () => ({ json: { slug: "fuzz-preview", title: "Fuzz preview", section: "Fuzz", body: "One.\n\nTwo." } }) },
  // The suite's own article (tests/e2e/articles.json): a request that stays valid may publish version 2 once; later ones are stale (409).
  "POST /api/admin/articles/[slug]/revision": { params: () => ({ slug: e2eArticleSlug("revisions-fuzz") }), body: () => ({ json: { baseVersion: 1, title: "Fuzz revision", body: "One.\n\nTwo." } }) },
  "POST /api/admin/articles/[slug]/revision/preview": { params: () => ({ slug: e2eArticleSlug("revisions-fuzz") }), body: () => ({ json: { baseVersion: 1, title: "Fuzz revision", body: "One.\n\nTwo." } }) },
  "GET /api/articles/[slug]/versions": { params: () => ({ slug: ARTICLE_SLUG }) },
  "GET /api/articles/[slug]/anchors/[anchorId]": { params: (fx) => ({ slug: ARTICLE_SLUG, anchorId: fx.anchorId }) },
  "GET /api/people/[id]": { params: (fx) => ({ id: fx.reader.id }), query: () => ({}) },
  "PATCH /api/admin/articles/[slug]": { params: () => ({ slug: ARTICLE_SLUG }), body: () => ({ json: { moderationPolicy: "POST_MODERATION" } }) },
  "POST /api/admin/decisions/undo": { body: () => ({ json: { batch: "7c9e6679-7425-40de-944b-e07fc1f90ae7" } }) },
  "POST /api/admin/decisions": { body: (fx) => ({ json: { decision: "KEEP", reason: "Fuzz", items: [{ id: fx.contribution.id, version: fx.contribution.version }] } }) },
  "GET /api/admin/log": { query: (fx) => ({ action: "HIDE", actor: fx.targetUserId, limit: "5" }) },
  "GET /api/admin/queue": { query: () => ({ order: "newest", author: "Fuzz", kind: "ANNOTATION", limit: "5" }) },
  "PATCH /api/admin/users/[id]": { params: (fx) => ({ id: fx.targetUserId }), body: () => ({ json: { role: "READER" } }) },
  "POST /api/admin/users/[id]/suspension": { params: (fx) => ({ id: fx.targetUserId }), body: () => ({ json: { reason: "Fuzz", until: future(), hideContributions: false } }) },
  "DELETE /api/admin/users/[id]/suspension": { params: (fx) => ({ id: fx.targetUserId }) },
  "GET /api/admin/users": { query: () => ({ q: "fuzz" }) },
  "POST /api/articles/[slug]/contributions": {
    params: () => ({ slug: ARTICLE_SLUG }),
    body: (fx) => ({
      json: { anchorId: fx.anchorId, versionId: fx.versionId, kind: "SOURCE", body: "Fuzz", selector: wholeParagraph(fx.text), source: { url: "https://example.org/a", title: "A", stance: "CONTEXT" } },
    }),
  },
  "GET /api/articles/[slug]/paragraphs/[anchorId]/contributions": { params: (fx) => ({ slug: ARTICLE_SLUG, anchorId: fx.anchorId }), query: () => ({ covering: "3", limit: "5" }) },
  "GET /api/articles/[slug]/orphans": { params: () => ({ slug: ARTICLE_SLUG }) },
  "GET /api/articles/[slug]/summaries": { params: () => ({ slug: ARTICLE_SLUG }) },
  "GET /api/articles/[slug]/events": { params: () => ({ slug: ARTICLE_SLUG }), query: () => ({ lastEventId: "0" }) },
  "GET /api/search": { query: () => ({ q: "exiles \"Russian exiles\" or Putin -war", article: ARTICLE_SLUG, kind: "COUNTERPOINT" }) },
  "GET /api/auth/[...nextauth]": { params: () => ({ nextauth: "session" }) },
  "POST /api/auth/[...nextauth]": {
    params: () => ({ nextauth: "callback/credentials" }),
    body: (fx) => ({ form: { csrfToken: fx.csrf.reader, email: fx.reader.email, password: "not-the-password", json: "true" } }),
  },
  "POST /api/contributions/[id]/appeal": { params: (fx) => ({ id: fx.contribution.id }), body: () => ({ json: { note: "Fuzz" } }) },
  "POST /api/contributions/[id]/flags": { params: (fx) => ({ id: fx.contribution.id }), body: () => ({ json: { reason: "OTHER", note: "Fuzz" } }) },
  "PATCH /api/contributions/[id]": {
    params: (fx) => ({ id: fx.contribution.id }),
    body: (fx) => ({ json: { version: fx.contribution.version, body: "Fuzz edit", source: { url: "https://example.org/b", stance: "SUPPORTS" } } }),
  },
  "DELETE /api/contributions/[id]": { params: (fx) => ({ id: fx.contribution.id }), query: (fx) => ({ version: String(fx.contribution.version) }) },
  "GET /api/me/contributions": { query: () => ({}) },
  "GET /api/me/notifications": { query: () => ({}) },
  "GET /api/me/follows": { query: () => ({ article: ARTICLE_SLUG }) },
  "POST /api/me/follows": { body: (fx) => ({ json: { article: ARTICLE_SLUG, target: `paragraph:${fx.anchorId}`, follow: true } }) },
  "GET /api/me/notifications/unread": {},
  "GET /api/me/notifications/events": {},
  "POST /api/internal/page-cache": { body: () => ({ json: { paths: [`/articles/${ARTICLE_SLUG}`] } }) },
  "POST /api/me/notifications/read": { body: () => ({ json: { all: true } }) },
  "GET /api/me/settings": {},
  "PATCH /api/me/settings": { body: () => ({ json: { researchOptOut: false } }) },
  "DELETE /api/research/tokens/[id]": { params: (fx) => ({ id: fx.tokenId }) },
  "GET /api/research/tokens": {},
  "POST /api/research/tokens": { body: () => ({ json: { name: "Fuzz", scope: "export:read", expiresInDays: 1 } }) },
  "POST /api/signup": { body: () => ({ json: newUserData("Fuzz") }) },
  "GET /api/v1/exports/[id]/download": { params: (fx) => ({ id: fx.exportId }) },
  "GET /api/v1/exports/[id]/manifest": { params: (fx) => ({ id: fx.exportId }) },
  "GET /api/v1/exports/[id]": { params: (fx) => ({ id: fx.exportId }) },
  "GET /api/v1/exports": { query: () => ({ limit: "5" }) },
  "POST /api/v1/exports": {
    body: (fx) => ({
      json: {
        studyId: fx.studyId,
        format: "jsonl",
        filters: { articles: [ARTICLE_SLUG], from: "2026-01-01", to: "2026-12-31", kinds: ["ANNOTATION"], statuses: ["PUBLISHED"], includeModeration: false },
      },
    }),
  },
  "GET /api/v1/openapi.json": {},
  "POST /api/admin/ranking/runs": {},
  "PUT /api/contributions/[id]/rating": { params: (fx) => ({ id: fx.contribution.id }), body: () => ({ json: { value: "HELPFUL", tags: ["CLEAR"] } }) },
  "DELETE /api/contributions/[id]/rating": { params: (fx) => ({ id: fx.contribution.id }) },
  "GET /api/contributions/[id]": { params: (fx) => ({ id: fx.contribution.id }) },
  "GET /api/contributions/[id]/replies": { params: (fx) => ({ id: fx.contribution.id }), query: () => ({ limit: "5" }) },
  "GET /api/contributions/[id]/revisions": { params: (fx) => ({ id: fx.contribution.id }), query: () => ({ after: "0", limit: "5" }) },
  "POST /api/contributions/[id]/replies": {
    params: (fx) => ({ id: fx.contribution.id }),
    body: () => ({ json: { kind: "SOURCE", body: "Fuzz reply", source: { url: "https://example.org/r", title: "R", stance: "REFUTES" } } }),
  },
  "POST /api/password-reset": { body: (fx) => ({ json: { email: fx.reader.email } }) },
  "POST /api/password-reset/complete": { body: () => ({ json: { token: "a".repeat(43), password: "fuzz-new-password" } }) },
  "POST /api/email-verification": { body: () => ({ json: { token: "a".repeat(43) } }) },
  "POST /api/me/email-verification": { body: () => ({ json: {} }) },
  "POST /api/email/unsubscribe": {
    query: (fx) => ({ token: signUnsubscribeToken(process.env.NEXTAUTH_SECRET ?? "e2e-secret-not-for-production-0123456789", fx.targetUserId) }),
    body: () => ({ form: { "List-Unsubscribe": "One-Click" } }),
  },
  "GET /api/v1/studies": {},
  "POST /api/v1/studies": { body: () => ({ json: { name: `Fuzz study ${Date.now().toString(36)}`, description: "Fuzz" } }) },
};

/** Pages with dynamic segments need real values too. */
const PAGE_PARAMS: Record<string, (fx: Fx) => Record<string, string>> = {
  "/articles/[slug]": () => ({ slug: ARTICLE_SLUG }),
  "/articles/[slug]/history": () => ({ slug: ARTICLE_SLUG }),
  "/admin/articles/[slug]": () => ({ slug: e2eArticleSlug("revisions-fuzz") }),
  "/people/[id]": (fx) => ({ id: fx.reader.id }),
};

/** Every query key any route or page reads: each request may carry any of them (unread ones are ignored). */
const QUERY_KEYS = ["cursor", "covering", "limit", "version", "q", "article", "kind", "status", "reason", "author", "order", "action", "contribution", "actor", "target", "callbackUrl", "error", "sort", "token", "lastEventId"];

// ---------------------------------------------------------------- discovery

function template(base: string, file: string): string {
  return "/" + routeSegments(base, file).join("/");
}

function discoverHandlers(): string[] {
  return routeHandlers(path.join(ROOT, "app"))
    .flatMap(({ file, methods }) => methods.map((m) => `${m} ${template(path.join(ROOT, "app"), file)}`))
    .sort();
}

function discoverPages(): string[] {
  return walk(path.join(ROOT, "app"))
    .filter((f) => /^page\.(tsx|ts|jsx|js)$/.test(path.basename(f)))
    .map((f) => template(path.join(ROOT, "app"), f))
    .sort();
}

// ---------------------------------------------------------------- requests

interface BadRequest {
  caller: Caller;
  method: string;
  /** Path as sent (already encoded). */
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body?: { text: string; contentType?: string } | { form: Record<string, string> };
  /** What was broken, for the report. */
  broke: string[];
}

const short = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
const show = (s: string) => short(JSON.stringify(s).slice(1, -1));

function describe(r: BadRequest): string {
  const q = r.query.map(([k, v]) => `${k}=${show(v)}`).join("&");
  const body = r.body ? ("form" in r.body ? ` form ${short(JSON.stringify(r.body.form))}` : ` body(${r.body.contentType ?? "none"}) ${short(r.body.text)}`) : "";
  return `${r.caller}: ${r.method} ${short(r.path, 200)}${q ? `?${q}` : ""}${body} [broke: ${r.broke.join(", ")}] headers ${short(JSON.stringify(r.headers))}`;
}

/** Fills a template's segments, each the valid value or a bad one. */
function pathArb(tpl: string, params: Record<string, string>): fc.Arbitrary<{ path: string; broke: string[] }> {
  const segments = tpl.split("/").filter(Boolean);
  const parts = segments.map((seg) => {
    const m = /^\[(?:\.\.\.)?(\w+)\]$/.exec(seg);
    if (!m) return fc.constant({ s: seg, broke: null as string | null });
    const name = m[1]!;
    const valid = (params[name] ?? "x").split("/").map(encodeURIComponent).join("/");
    return fc.oneof(
      { arbitrary: fc.constant({ s: valid, broke: null as string | null }), weight: 3 },
      { arbitrary: badString.map((b) => ({ s: encodeLoosely(b), broke: `path ${name}` as string | null })), weight: 2 },
      { arbitrary: fc.constantFrom(...badEscapes).map((e) => ({ s: `${valid}${e}`, broke: `path ${name}` as string | null })), weight: 1 },
    );
  });
  return fc.tuple(...parts).map((ps) => ({ path: "/" + ps.map((p) => p.s).join("/"), broke: ps.flatMap((p) => (p.broke ? [p.broke] : [])) }));
}

function queryArb(valid: Record<string, string>): fc.Arbitrary<{ query: [string, string][]; broke: string[] }> {
  const extra = fc.array(
    fc.tuple(
      fc.oneof({ arbitrary: fc.constantFrom(...QUERY_KEYS), weight: 4 }, { arbitrary: badString, weight: 1 }),
      fc.oneof({ arbitrary: badString, weight: 3 }, { arbitrary: forgedCursor, weight: 1 }),
    ),
    { maxLength: 3 },
  );
  return fc.tuple(fc.boolean(), extra).map(([keep, bad]) => {
    const base = keep ? Object.entries(valid).filter(([k]) => !bad.some(([b]) => b === k)) : [];
    return { query: [...base, ...bad], broke: bad.map(([k]) => `query ${show(k)}`) };
  });
}

const CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=latin1", ""];

function jsonBodyArb(valid: unknown): fc.Arbitrary<{ body: BadRequest["body"]; broke: string[] }> {
  const paths = valuePaths(valid);
  const replaceOne =
    paths.length > 0
      ? fc.tuple(fc.constantFrom(...paths), badJsonValue).map(([p, v]) => ({ body: { text: serialise(withValue(valid, p, v)), contentType: "application/json" }, broke: [`body ${p.join(".")}`] }))
      : null;
  const options: fc.Arbitrary<{ body: BadRequest["body"]; broke: string[] }>[] = [
    badJsonValue.map((v) => ({ body: { text: serialise(v), contentType: "application/json" }, broke: ["body (whole)"] })),
    fc.constantFrom("", "{", "[1,]", "{'a':1}", "\u0000", "nul\u0000l", "{\"a\":1}{\"b\":2}", "\ufeff{}").map((t) => ({ body: { text: t, contentType: "application/json" }, broke: ["body (not JSON)"] })),
    fc.constantFrom(...CONTENT_TYPES).map((ct) => ({ body: { text: JSON.stringify(valid), contentType: ct || undefined }, broke: [`content-type ${ct || "(none)"}`] })),
    fc.constant({ body: { text: "" }, broke: ["body (absent)"] }),
  ];
  if (replaceOne) options.unshift(replaceOne, replaceOne, replaceOne);
  if (paths.length) {
    options.push(fc.constantFrom(...paths).map((p) => ({ body: { text: JSON.stringify(withValue(valid, p, undefined)), contentType: "application/json" }, broke: [`body ${p.join(".")} (removed)`] })));
  }
  return fc.oneof(...options);
}

function formBodyArb(valid: Record<string, string>): fc.Arbitrary<{ body: BadRequest["body"]; broke: string[] }> {
  return fc.tuple(fc.constantFrom(...Object.keys(valid)), badString).map(([k, v]) => ({ body: { form: { ...valid, [k]: v } }, broke: [`form ${k}`] }));
}

function headersArb(baseURL: string): fc.Arbitrary<{ headers: Record<string, string>; broke: string[] }> {
  return fc.oneof(
    { arbitrary: fc.constant({ headers: {}, broke: [] as string[] }), weight: 6 },
    { arbitrary: fc.constantFrom("Bearer ", "Bearer x", "Bearer \u00ff\u00fe", `Bearer ${"a".repeat(5000)}`, "Basic Zm9vOmJhcg==", "bearer rtk_forged").map((a) => ({ headers: { authorization: a }, broke: ["authorization"] })), weight: 1 },
    { arbitrary: fc.constantFrom("next-auth.session-token=forged", `next-auth.session-token=${"e".repeat(3000)}`, "next-auth.session-token=eyJhbGciOiJub25lIn0.e30.").map((c) => ({ headers: { cookie: c }, broke: ["cookie"] })), weight: 1 },
    { arbitrary: fc.constantFrom("https://evil.example", "null").map((o) => ({ headers: { origin: o }, broke: ["origin"] })), weight: 1 },
  ).map((h) => ({ headers: { origin: baseURL, ...h.headers }, broke: h.broke }));
}

const callerArb = fc.oneof(
  { arbitrary: fc.constant<Caller>("admin"), weight: 3 },
  { arbitrary: fc.constant<Caller>("reader"), weight: 2 },
  { arbitrary: fc.constant<Caller>("moderator"), weight: 1 },
  { arbitrary: fc.constant<Caller>("anonymous"), weight: 1 },
);

/** Bad requests for one route: the valid sample with at least one thing broken. */
function requestArb(method: string, tpl: string, sample: Sample, fx: Fx): fc.Arbitrary<BadRequest> {
  const params = sample.params?.(fx) ?? PAGE_PARAMS[tpl]?.(fx) ?? {};
  const body = sample.body?.(fx);
  const bodyArb: fc.Arbitrary<{ body: BadRequest["body"]; broke: string[] }> = !body
    ? fc.constant({ body: undefined, broke: [] as string[] })
    : fc.oneof(
        { arbitrary: "json" in body ? jsonBodyArb(body.json) : formBodyArb(body.form), weight: 4 },
        { arbitrary: fc.constant({ body: "json" in body ? { text: JSON.stringify(body.json), contentType: "application/json" } : { form: body.form }, broke: [] as string[] }), weight: 1 },
      );
  return fc
    .record({ caller: callerArb, path: pathArb(tpl, params), query: queryArb(sample.query?.(fx) ?? {}), body: bodyArb, headers: headersArb(fx.baseURL) })
    .filter((r) => r.path.broke.length + r.query.broke.length + r.body.broke.length + r.headers.broke.length > 0)
    .map((r) => {
      const req: BadRequest = {
        caller: r.caller,
        method,
        path: r.path.path,
        query: r.query.query,
        headers: r.headers.headers,
        body: r.body.body,
        broke: [...r.path.broke, ...r.query.broke, ...r.body.broke, ...r.headers.broke],
      };
      return Object.assign(req, { [fc.toStringMethod]: () => describe(req) });
    });
}

function urlOf(r: BadRequest): string {
  const q = r.query.map(([k, v]) => `${encodeLoosely(k)}=${encodeLoosely(v)}`).join("&");
  return `${r.path}${q ? `?${q}` : ""}`;
}

async function send(fx: Fx, r: BadRequest): Promise<APIResponse> {
  const api = fx.api[r.caller];
  const headers: Record<string, string> = { ...r.headers };
  let data: string | undefined;
  let form: Record<string, string> | undefined;
  if (r.body && "form" in r.body) form = r.body.form;
  else if (r.body) {
    data = r.body.text;
    if (r.body.contentType) headers["content-type"] = r.body.contentType;
  }
  return api.fetch(urlOf(r), { method: r.method, headers, data, form, maxRedirects: 0, failOnStatusCode: false, timeout: 60_000 });
}

// ---------------------------------------------------------------- the properties

/** A stack frame ("at fn (/x/y.js:1:2)", "at /x/y.js:1:2", "at node:internal/…") or a path into the server's files. */
const STACK = [/\bat (?:async )?[\w$.<>[\] ]*\(?(?:\/|file:\/\/|node:|webpack)[^\s)]*:\d+:\d+/, /\.next\/server\//, /node_modules\//];

function leaks(body: string): string | null {
  for (const re of [...STACK, new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))]) {
    const m = re.exec(body);
    if (m) return body.slice(Math.max(0, m.index - 80), m.index + 120);
  }
  return null;
}

/**
 * Per table, "count:md5 of all rows"; RateLimitBucket left out (see the header), and what the hourly
 * digest job writes. Waits for queued exports, mail and the notifier first.
 */
async function fingerprint(db: pg.Client): Promise<Map<string, string>> {
  for (let i = 0; ; i++) {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "ExportJob" WHERE status IN ('QUEUED', 'RUNNING')`);
    if (rows[0]!.n === "0") break;
    if (i > 600) throw new Error("export jobs did not finish within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  // Mail queued by a 2xx goes out in the background (the outbox worker): wait for what is due now.
  for (let i = 0; ; i++) {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM "OutboundEmail" WHERE (status = 'PENDING' AND "nextAttemptAt" <= now()) OR status = 'SENDING'`,
    );
    if (rows[0]!.n === "0") break;
    if (i > 600) throw new Error("queued mail was not sent within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  // Notifications are made from the live events in the background (lib/notifications): wait until the notifier has read them all.
  for (let i = 0; ; i++) {
    const { rows } = await db.query<{ done: boolean }>(
      `SELECT coalesce((SELECT max(id) FROM "ArticleEvent"), 0) <= coalesce((SELECT "lastEventId" FROM "NotifierCursor" WHERE name = 'replies'), 0) AS done`,
    );
    if (rows[0]!.done) break;
    if (i > 600) throw new Error("the notifier did not catch up within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  const { rows: tables } = await db.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('RateLimitBucket') ORDER BY 1`,
  );
  // Email digests are sent by the clock, not by requests (lib/notifications/send-digests.ts, hourly): the
  // time a person's last digest went out and the digest emails themselves are left out; everything else counts.
  const row = (t: string) => (t === "User" ? `(to_jsonb(x) - 'lastDigestAt')::text` : "x::text");
  const only = (t: string) => (t === "OutboundEmail" ? ` WHERE x.kind <> 'DIGEST'` : "");
  const sql = tables
    .map(({ t }) => `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(${row(t)}, '|' ORDER BY ${row(t)})), '') AS f FROM "${t}" x${only(t)}`)
    .join(" UNION ALL ");
  const { rows } = await db.query<{ t: string; f: string }>(sql);
  return new Map(rows.map((r) => [r.t, r.f]));
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}

// ---------------------------------------------------------------- setup

async function signInApi(api: APIRequestContext, user: Pick<TestUser, "email" | "password" | "name">): Promise<void> {
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", { form: { csrfToken, email: user.email, password: user.password, json: "true" } });
  expect(res.status(), await res.text()).toBe(200);
  const session = (await (await api.get("/api/auth/session")).json()) as { user?: { name?: string } };
  expect(session.user?.name).toBe(user.name);
}

async function ok<T>(res: APIResponse, status: number, what: string): Promise<T> {
  expect(res.status(), `${what}: ${(await res.text()).slice(0, 300)}`).toBe(status);
  return (await res.json()) as T;
}

test("every route handler has a valid sample request in the bad-input suite, and every sample a handler", () => {
  const discovered = discoverHandlers();
  expect(discovered.length, "no route handlers found: is the test running from the project root?").toBeGreaterThan(0);
  const missing = discovered.filter((k) => !SAMPLES[k]);
  const stale = Object.keys(SAMPLES).filter((k) => !discovered.includes(k));
  expect(missing, `route handlers with no sample in tests/e2e/bad-input.spec.ts:\n${missing.join("\n")}`).toEqual([]);
  expect(stale, `samples for route handlers that no longer exist:\n${stale.join("\n")}`).toEqual([]);
  const pages = discoverPages();
  expect(pages.length).toBeGreaterThan(0);
  const unfilled = pages.filter((p) => p.includes("[") && !PAGE_PARAMS[p]);
  expect(unfilled, `pages with dynamic segments and no values in PAGE_PARAMS:\n${unfilled.join("\n")}`).toEqual([]);
});

test.describe("bad input", () => {
  let fx: Fx;
  let db: pg.Client | null = null;
  const contexts: APIRequestContext[] = [];

  test.beforeAll(async ({ browser }, testInfo) => {
    testInfo.setTimeout(120_000);
    const baseURL = testInfo.project.use.baseURL!;
    const api = {} as Record<Caller, APIRequestContext>;
    for (const caller of CALLERS) {
      api[caller] = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
      contexts.push(api[caller]);
    }
    const page = await browser.newPage({ baseURL });
    const article = new ArticlePage(page);
    await article.goto();
    const { anchorId, text, versionId } = await article.target(FUZZ_PARAGRAPH);
    await page.close();

    await signInApi(api.admin, STAFF.ADMIN);
    await signInApi(api.moderator, STAFF.MODERATOR);
    const reader = await createUser(api.anonymous, "Fuzzreader");
    await signInApi(api.reader, reader);
    const csrf = {} as Record<Caller, string>;
    for (const caller of CALLERS) csrf[caller] = ((await (await api[caller].get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
    const targetUserId = (await createUser(api.anonymous, "Fuzztarget")).id;
    await ok(await api.admin.patch(`/api/admin/articles/${ARTICLE_SLUG}`, { data: { moderationPolicy: "POST_MODERATION" } }), 200, "policy");
    const { study } = await ok<{ study: { id: string } }>(await api.admin.post("/api/v1/studies", { data: { name: `Fuzz fixture ${Date.now().toString(36)}` } }), 201, "study");
    const created = await ok<{ export: { id: string } }>(
      await api.admin.post("/api/v1/exports", { data: { studyId: study.id, format: "csv", filters: { articles: [ARTICLE_SLUG] } } }),
      202,
      "export",
    );
    // Tokens the suite made before (a restarted worker runs this again) would reach the per-person limit.
    const { items } = await ok<{ items: { id: string; name: string; revokedAt: string | null }[] }>(await api.admin.get("/api/research/tokens"), 200, "tokens");
    for (const t of items.filter((t) => t.name.startsWith("Fuzz") && !t.revokedAt)) await api.admin.delete(`/api/research/tokens/${t.id}`);
    const { record } = await ok<{ record: { id: string } }>(
      await api.admin.post("/api/research/tokens", { data: { name: "Fuzz token", scope: "export:read", expiresInDays: 1 } }),
      201,
      "token",
    );
    fx = { baseURL, api, csrf, reader, anchorId, versionId, text, targetUserId, studyId: study.id, exportId: created.export.id, tokenId: record.id, contribution: { id: "", version: 0 } };
    if (DATABASE_URL) {
      db = new pg.Client({ connectionString: DATABASE_URL });
      await db.connect();
    }
  });

  test.afterAll(async () => {
    // Put back what a generated request may have changed that other specs rely on.
    await fx?.api.admin.patch(`/api/admin/articles/${ARTICLE_SLUG}`, { data: { moderationPolicy: "POST_MODERATION" } });
    await db?.end();
    for (const c of contexts) await c.dispose();
  });

  test("the database check runs (it needs E2E_DATABASE_URL: a PostgreSQL server, as in CI and `npm test` with DATABASE_URL)", () => {
    test.skip(!DATABASE_URL, "no E2E_DATABASE_URL: on the embedded database only 'no 5xx' and 'no stack trace' are checked, not 'no change on a 4xx'");
    expect(db).not.toBeNull();
  });

  async function fuzz(label: string, arb: fc.Arbitrary<BadRequest>): Promise<void> {
    let before = db ? await fingerprint(db) : null;
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(arb, async (r) => {
        const res = await send(fx, r);
        const status = res.status();
        const body = await res.text();
        seen[status] = (seen[status] ?? 0) + 1;
        expect(status, `${describe(r)}\n→ ${status}: ${short(body, 500)}`).toBeLessThan(500);
        const leak = leaks(body);
        expect(leak, `${describe(r)}\n→ ${status} shows a stack trace or a server path: ${leak}`).toBeNull();
        if (db && before) {
          const after = await fingerprint(db);
          if (status >= 400) expect(changed(before, after), `${describe(r)}\n→ ${status}, but the database changed`).toEqual([]);
          before = after;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false, verbose: 1 },
    );
    console.log(`${label}: ${RUNS} runs, statuses ${JSON.stringify(seen)}`);
  }

  for (const key of Object.keys(SAMPLES).sort()) {
    const [method, tpl] = key.split(" ") as [string, string];
    test(`route ${key}`, async () => {
      test.setTimeout(240_000);
      // A fresh published contribution by the reader per route (the DELETE and decision samples may succeed).
      const { contribution } = await ok<{ contribution: { id: string; version: number } }>(
        await fx.api.reader.post(`/api/articles/${ARTICLE_SLUG}/contributions`, {
          data: { anchorId: fx.anchorId, versionId: fx.versionId, kind: "ANNOTATION", body: `Fuzz target ${Date.now().toString(36)}`, selector: wholeParagraph(fx.text) },
        }),
        201,
        "fresh contribution",
      );
      fx.contribution = contribution;
      await fuzz(key, requestArb(method, tpl, SAMPLES[key]!, fx));
    });
  }

  for (const tpl of discoverPages()) {
    test(`page ${tpl}`, async () => {
      test.setTimeout(240_000);
      await fuzz(`page ${tpl}`, requestArb("GET", tpl, { query: () => ({}) }, fx));
    });
  }
});
