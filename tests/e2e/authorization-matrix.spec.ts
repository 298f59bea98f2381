/**
 * The authorization matrix: every route handler and server action × every kind of caller,
 * against the status each caller must get.
 *
 * - The routes are discovered from the code at test time (app/**\/route.ts, and "use server"
 *   in app/ and lib/), so a new handler or action fails the first test until it has a row here.
 *   A row whose handler no longer exists fails it too.
 * - Each row makes one request that is VALID for its route (so the status reflects who is
 *   asking, not what was sent). Rows that change something act on a fresh target made for that
 *   cell (a new contribution by the author, a new user), so no cell depends on another.
 * - The callers: anonymous (no cookie); reader (a fresh sign-up); author (the author of every
 *   contribution the rows act on); moderator and admin (the staff seeded by
 *   scripts/e2e-server.mjs); researcher (a reader promoted by the admin); suspended (a reader
 *   signed in, THEN suspended by the admin: the existing session must stop working at once).
 *
 * Statuses: 401 when sign-in is required and there is no working session; 403 when signed in
 * without the right; 404 where the code deliberately does not reveal another person's item
 * (an appeal is only ever the author's); 2xx when allowed.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import { ARTICLE_SLUG, ArticlePage, createUser, expect, newUserData, test, wholeParagraph, type TestUser } from "./fixtures";
import { STAFF } from "./moderation-fixtures";
import { routeHandlers, routeSegments, walk } from "../support/route-handlers";
import { signUnsubscribeToken } from "../../lib/mail/unsubscribe-token";
import { linkIn, waitForMail } from "./mail";

/** This spec writes only to this paragraph (not used by any other spec; see PARAGRAPH / MOD_PARAGRAPH). */
const MATRIX_PARAGRAPH = 15;

const CALLERS = ["anonymous", "reader", "author", "moderator", "admin", "researcher", "suspended"] as const;
type Caller = (typeof CALLERS)[number];
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface Fx {
  api: Record<Caller, APIRequestContext>;
  anchorId: string;
  versionId: string;
  text: string;
  /** A study of the researcher's, and a finished export made with it. */
  studyId: string;
  exportId: string;
}

interface Row {
  method: Method;
  route: string;
  /** Expected status per caller, in CALLERS order. */
  expected: Record<Caller, number>;
  note: string;
  /** Makes the request as `api` (setting up any fresh target with fx's other callers first). */
  call: (api: APIRequestContext, fx: Fx) => Promise<APIResponse>;
}

// ---------------------------------------------------------------- setup helpers used by the rows

async function ok<T>(res: APIResponse, status: number, what: string): Promise<T> {
  expect(res.status(), `${what}: ${await res.text()}`).toBe(status);
  return (status === 204 ? null : await res.json()) as T;
}

/** A fresh PUBLISHED annotation by the author; returns its id and version. */
async function freshContribution(fx: Fx): Promise<{ id: string; version: number }> {
  const res = await fx.api.author.post(`/api/articles/${ARTICLE_SLUG}/contributions`, {
    data: {
      anchorId: fx.anchorId,
      versionId: fx.versionId,
      kind: "ANNOTATION",
      body: `Authorization matrix target ${Date.now().toString(36)}`,
      selector: wholeParagraph(fx.text),
    },
  });
  const { contribution } = await ok<{ contribution: { id: string; version: number } }>(res, 201, "author posts");
  return contribution;
}

/** A fresh contribution by the author, hidden by the moderator; returns its id and version. */
async function hiddenContribution(fx: Fx): Promise<{ id: string; version: number }> {
  const c = await freshContribution(fx);
  const res = await fx.api.moderator.post("/api/admin/decisions", {
    data: { decision: "HIDE", reason: "Authorization matrix setup", items: [{ id: c.id, version: c.version }] },
  });
  const { results } = await ok<{ results: { id: string; toStatus: string; version: number }[] }>(res, 200, "moderator hides");
  expect(results[0]?.toStatus).toBe("HIDDEN");
  return { id: c.id, version: results[0]!.version };
}

/** A fresh hidden contribution with an open appeal by its author. */
async function appealedContribution(fx: Fx): Promise<{ id: string; version: number }> {
  const c = await hiddenContribution(fx);
  await ok(await fx.api.author.post(`/api/contributions/${c.id}/appeal`, { data: { note: "Please look again." } }), 201, "author appeals");
  return c;
}

/** A fresh reader account (only its id is needed). */
async function freshUser(fx: Fx): Promise<string> {
  return (await createUser(fx.api.anonymous, "Target")).id;
}

async function suspendedUser(fx: Fx): Promise<string> {
  const id = await freshUser(fx);
  await ok(await fx.api.admin.post(`/api/admin/users/${id}/suspension`, { data: { reason: "Matrix setup" } }), 201, "admin suspends");
  return id;
}

/** A fresh API token of the researcher's; returns its id. */
async function researcherToken(fx: Fx): Promise<string> {
  const res = await fx.api.researcher.post("/api/research/tokens", { data: { name: `Matrix ${Date.now().toString(36)}`, scope: "export:read", expiresInDays: 1 } });
  return (await ok<{ record: { id: string } }>(res, 201, "researcher makes a token")).record.id;
}

/** A token from an email the app sent to a fresh account: a reset link, or its sign-up confirmation link. */
async function mailedToken(fx: Fx, pathname: "/reset-password" | "/verify-email"): Promise<string> {
  const user = await createUser(fx.api.anonymous, "Mailbox");
  if (pathname === "/reset-password") {
    await ok(await fx.api.anonymous.post("/api/password-reset", { data: { email: user.email } }), 202, "reset requested");
  }
  const mail = await waitForMail(user.email, pathname === "/reset-password" ? "Reset your password" : "Confirm your email address");
  return new URL(linkIn(mail, pathname)).searchParams.get("token")!;
}

/** A digest's one-click unsubscribe token for a fresh account, signed with the e2e server's secret (scripts/e2e-server.mjs). */
async function unsubscribeToken(fx: Fx): Promise<string> {
  const secret = process.env.NEXTAUTH_SECRET ?? "e2e-secret-not-for-production-0123456789";
  return signUnsubscribeToken(secret, await freshUser(fx));
}

/** A valid new article with a slug of its own (POST /api/admin/articles and its preview). */
function matrixArticle(): { slug: string; title: string; body: string } {
  return { slug: `matrix-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, title: "Authorization matrix article", body: "Its one paragraph." };
}

/** A fresh admin-added article for one cell (revision rows): its slug, at version 1. */
async function freshArticle(fx: Fx): Promise<string> {
  const a = matrixArticle();
  await ok(await fx.api.admin.post("/api/admin/articles", { data: a }), 201, "admin adds an article");
  return a.slug;
}

/** A valid revision of a fresh article (its one paragraph edited). */
const matrixRevision = { baseVersion: 1, title: "Authorization matrix article", body: "Its one paragraph, revised." };

// ---------------------------------------------------------------- the table

const X = (
  anonymous: number,
  reader: number,
  author: number,
  moderator: number,
  admin: number,
  researcher: number,
  suspended: number,
): Record<Caller, number> => ({ anonymous, reader, author, moderator, admin, researcher, suspended });

/**
 * The matrix. Columns: anonymous, reader, author, moderator, admin, researcher, suspended.
 * "author" is the author of the row's target contribution (a fresh one per cell).
 */
// prettier-ignore
const TABLE: Row[] = [
  // ---- public
  { method: "GET", route: "/api/auth/[...nextauth]",                 expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "next-auth's own handler; probed with GET /api/auth/session",
    call: (api) => api.get("/api/auth/session") },
  { method: "POST", route: "/api/auth/[...nextauth]",                expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "next-auth's own handler; probed with POST /api/auth/_log (the client logger, needs no session)",
    call: (api) => api.post("/api/auth/_log", { form: { code: "AUTHZ_MATRIX", level: "debug" } }) },
  { method: "POST", route: "/api/signup",                            expected: X(201, 201, 201, 201, 201, 201, 201),
    note: "public: anyone may create an account",
    call: (api) => api.post("/api/signup", { data: newUserData("Signup") }) },
  { method: "POST", route: "/api/password-reset",                    expected: X(202, 202, 202, 202, 202, 202, 202),
    note: "public; the same answer for every address (here a fresh, unknown one)",
    call: (api) => api.post("/api/password-reset", { data: { email: newUserData("Nobody").email } }) },
  { method: "POST", route: "/api/password-reset/complete",           expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public: the emailed token is the credential (a fresh account's reset link, read from the test mail server)",
    call: async (api, fx) => api.post("/api/password-reset/complete", { data: { token: await mailedToken(fx, "/reset-password"), password: "matrix-new-password" } }) },
  { method: "POST", route: "/api/email-verification",                expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public: the emailed token is the credential (a fresh account's confirmation link)",
    call: async (api, fx) => api.post("/api/email-verification", { data: { token: await mailedToken(fx, "/verify-email") } }) },
  { method: "POST", route: "/api/email/unsubscribe",                 expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public: the signed token is the credential (mail clients POST without cookies, RFC 8058); a fresh account's token",
    call: async (api, fx) => api.post(`/api/email/unsubscribe?token=${encodeURIComponent(await unsubscribeToken(fx))}`, { form: { "List-Unsubscribe": "One-Click" } }) },
  { method: "GET", route: "/api/articles/[slug]/orphans",            expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read: the orphans of the current version, moderated like the lists",
    call: async (api) => api.get(`/api/articles/${ARTICLE_SLUG}/orphans`) },
  { method: "GET", route: "/api/articles/[slug]/summaries",          expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read (a suspended session reads as signed out)",
    call: (api) => api.get(`/api/articles/${ARTICLE_SLUG}/summaries`) },
  { method: "GET", route: "/api/articles/[slug]/events",             expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public live stream (each viewer hears only what they may see: integration live-events); probed without Accept: text/event-stream, which answers once and ends",
    call: (api) => api.get(`/api/articles/${ARTICLE_SLUG}/events?lastEventId=0`) },
  { method: "GET", route: "/api/articles/[slug]/versions",           expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read",
    call: (api) => api.get(`/api/articles/${ARTICLE_SLUG}/versions`) },
  { method: "GET", route: "/api/articles/[slug]/anchors/[anchorId]", expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read",
    call: (api, fx) => api.get(`/api/articles/${ARTICLE_SLUG}/anchors/${fx.anchorId}`) },
  { method: "GET", route: "/api/articles/[slug]/paragraphs/[anchorId]/contributions", expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read",
    call: (api, fx) => api.get(`/api/articles/${ARTICLE_SLUG}/paragraphs/${fx.anchorId}/contributions`) },
  { method: "GET", route: "/api/search",                             expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read: published contributions only, for everyone (moderators search every status in the queue)",
    call: (api) => api.get(`/api/search?q=exiles&article=${ARTICLE_SLUG}`) },
  { method: "GET", route: "/api/people/[id]",                        expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read: a person's profile and published contributions (a fresh account's)",
    call: async (api, fx) => api.get(`/api/people/${await freshUser(fx)}`) },
  { method: "GET", route: "/api/contributions/[id]/replies",         expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read of a published contribution's replies",
    call: async (api, fx) => api.get(`/api/contributions/${(await freshContribution(fx)).id}/replies`) },
  { method: "GET", route: "/api/contributions/[id]",                 expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read of a published contribution and the thread above it (what a shared link opens; a hidden one is a 404 for readers: integration and share.spec)",
    call: async (api, fx) => api.get(`/api/contributions/${(await freshContribution(fx)).id}`) },
  { method: "GET", route: "/api/contributions/[id]/revisions",       expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public read of a published contribution's edit history (a hidden one's is its author's and moderators' only: integration test)",
    call: async (api, fx) => api.get(`/api/contributions/${(await freshContribution(fx)).id}/revisions`) },

  // ---- any signed-in, unsuspended person
  { method: "POST", route: "/api/articles/[slug]/contributions",     expected: X(401, 201, 201, 201, 201, 201, 401),
    note: "sign-in required",
    call: (api, fx) => api.post(`/api/articles/${ARTICLE_SLUG}/contributions`, {
      data: { anchorId: fx.anchorId, versionId: fx.versionId, kind: "ANNOTATION", body: "Matrix: posting", selector: wholeParagraph(fx.text) },
    }) },
  { method: "POST", route: "/api/contributions/[id]/replies",        expected: X(401, 201, 201, 201, 201, 201, 401),
    note: "fresh published contribution per cell; anyone signed in answers it, its author too",
    call: async (api, fx) => api.post(`/api/contributions/${(await freshContribution(fx)).id}/replies`, { data: { kind: "COUNTERPOINT", body: "Matrix: a reply" } }) },
  { method: "GET", route: "/api/me/follows",                        expected: X(401, 200, 200, 200, 200, 200, 401),
    note: "sign-in required; the caller's own follows on an article",
    call: (api) => api.get(`/api/me/follows?article=${ARTICLE_SLUG}`) },
  { method: "POST", route: "/api/me/follows",                       expected: X(401, 200, 200, 200, 200, 200, 401),
    note: "sign-in required; follows the article for the caller",
    call: (api) => api.post("/api/me/follows", { data: { article: ARTICLE_SLUG, target: "article", follow: true } }) },
  { method: "GET", route: "/api/me/notifications",                  expected: X(401, 200, 200, 200, 200, 200, 401),
    note: "sign-in required; lists only the caller's own",
    call: (api) => api.get("/api/me/notifications") },
  { method: "GET", route: "/api/me/notifications/unread",           expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "the caller's own count; signed out (or suspended) it is 0, so the header's poll never errors when a session ends",
    call: (api) => api.get("/api/me/notifications/unread") },
  { method: "GET", route: "/api/me/notifications/events",           expected: X(204, 200, 200, 200, 200, 200, 204),
    note: "the caller's own notification nudges (probed without Accept: text/event-stream, which says hello and ends); signed out or suspended: 204, no stream, so a page whose session ended logs no error",
    call: (api) => api.get("/api/me/notifications/events") },
  { method: "POST", route: "/api/internal/page-cache",              expected: X(403, 403, 403, 403, 403, 403, 403),
    note: "only the app instance itself, over loopback with its in-memory secret (lib/cache/self-request.ts); everyone else 403",
    call: (api) => api.post("/api/internal/page-cache", { data: { allArticles: true } }) },
  { method: "POST", route: "/api/me/notifications/read",            expected: X(401, 200, 200, 200, 200, 200, 401),
    note: "sign-in required; marks only the caller's own",
    call: (api) => api.post("/api/me/notifications/read", { data: { all: true } }) },
  { method: "GET", route: "/api/me/contributions",                   expected: X(401, 200, 200, 200, 200, 200, 401),
    note: "sign-in required; lists only the caller's own",
    call: (api) => api.get("/api/me/contributions") },
  { method: "POST", route: "/api/contributions/[id]/flags",          expected: X(401, 201, 403, 201, 201, 201, 401),
    note: "fresh published contribution per cell; its author may not flag their own (403)",
    call: async (api, fx) => api.post(`/api/contributions/${(await freshContribution(fx)).id}/flags`, { data: { reason: "SPAM" } }) },
  { method: "PUT", route: "/api/contributions/[id]/rating",          expected: X(401, 200, 403, 200, 200, 200, 401),
    note: "fresh published contribution per cell; anyone signed in rates it, except its author (403)",
    call: async (api, fx) => api.put(`/api/contributions/${(await freshContribution(fx)).id}/rating`, { data: { value: "HELPFUL", tags: ["CLEAR"] } }) },
  { method: "DELETE", route: "/api/contributions/[id]/rating",       expected: X(401, 204, 204, 204, 204, 204, 401),
    note: "fresh contribution per cell; withdraws the caller's own rating only (none is nothing to withdraw: 204)",
    call: async (api, fx) => api.delete(`/api/contributions/${(await freshContribution(fx)).id}/rating`) },

  // ---- the author only
  { method: "PATCH", route: "/api/contributions/[id]",               expected: X(401, 403, 200, 403, 403, 403, 401),
    note: "fresh contribution per cell; only its author edits (staff too get 403)",
    call: async (api, fx) => {
      const c = await freshContribution(fx);
      return api.patch(`/api/contributions/${c.id}`, { data: { version: c.version, body: "Matrix: edited" } });
    } },
  { method: "DELETE", route: "/api/contributions/[id]",              expected: X(401, 403, 204, 403, 403, 403, 401),
    note: "fresh contribution per cell; only its author deletes",
    call: async (api, fx) => api.delete(`/api/contributions/${(await freshContribution(fx)).id}`) },
  { method: "POST", route: "/api/contributions/[id]/appeal",         expected: X(401, 404, 201, 404, 404, 404, 401),
    note: "fresh contribution HIDDEN by the moderator per cell (appeals need hidden/rejected); " +
          "anyone but its author gets 404, not 403 (create-appeal does not reveal others' items)",
    call: async (api, fx) => api.post(`/api/contributions/${(await hiddenContribution(fx)).id}/appeal`, { data: { note: "Matrix: appeal" } }) },

  // ---- moderators and admins
  { method: "GET", route: "/api/admin/queue",                        expected: X(401, 403, 403, 200, 200, 403, 401),
    note: "moderator or admin",
    call: (api) => api.get("/api/admin/queue") },
  { method: "GET", route: "/api/admin/log",                          expected: X(401, 403, 403, 200, 200, 403, 401),
    note: "moderator or admin",
    call: (api) => api.get("/api/admin/log") },
  { method: "POST", route: "/api/admin/decisions",                   expected: X(401, 403, 403, 200, 200, 403, 401),
    note: "moderator or admin; HIDE (with a reason) of a fresh published contribution per cell",
    call: async (api, fx) => {
      const c = await freshContribution(fx);
      return api.post("/api/admin/decisions", { data: { decision: "HIDE", reason: "Matrix: hide", items: [{ id: c.id, version: c.version }] } });
    } },
  { method: "POST", route: "/api/admin/decisions/undo",              expected: X(401, 403, 403, 200, 200, 403, 401),
    note: "moderator or admin, their own last decision: each staff cell hides a fresh contribution, then undoes it; others try a made-up decision id",
    call: async (api, fx) => {
      const c = await freshContribution(fx);
      const d = await api.post("/api/admin/decisions", { data: { decision: "HIDE", reason: "Matrix: hide to undo", items: [{ id: c.id, version: c.version }] } });
      const batch = d.ok() ? ((await d.json()) as { results: { batch: string }[] }).results[0]!.batch : randomUUID();
      return api.post("/api/admin/decisions/undo", { data: { batch } });
    } },
  { method: "POST", route: "/api/admin/contributions/[id]/reattach", expected: X(401, 403, 403, 409, 409, 403, 401),
    note: "moderator or admin; a fresh contribution that sits on the current text is no orphan, so staff get 409 past the role check",
    call: async (api, fx) => {
      const c = await freshContribution(fx);
      return api.post(`/api/admin/contributions/${c.id}/reattach`, { data: { anchorId: fx.anchorId, selector: { start: 0, end: 5, exact: fx.text.slice(0, 5) }, version: c.version } });
    } },
  { method: "POST", route: "/api/admin/appeals",                     expected: X(401, 403, 403, 200, 200, 403, 401),
    note: "moderator or admin; denies a fresh open appeal per cell (the author, too, may not decide their own)",
    call: async (api, fx) => {
      const c = await appealedContribution(fx);
      return api.post("/api/admin/appeals", { data: { contributionId: c.id, version: c.version, uphold: false, reason: "Matrix: denied" } });
    } },

  // ---- admins only
  { method: "GET", route: "/api/admin/users",                        expected: X(401, 403, 403, 403, 200, 403, 401),
    note: "admin only",
    call: (api) => api.get("/api/admin/users?q=matrix") },
  { method: "PATCH", route: "/api/admin/users/[id]",                 expected: X(401, 403, 403, 403, 200, 403, 401),
    note: "admin only; sets a fresh user's role to READER",
    call: async (api, fx) => api.patch(`/api/admin/users/${await freshUser(fx)}`, { data: { role: "READER" } }) },
  { method: "POST", route: "/api/admin/users/[id]/suspension",       expected: X(401, 403, 403, 403, 201, 403, 401),
    note: "admin only; suspends a fresh user",
    call: async (api, fx) => api.post(`/api/admin/users/${await freshUser(fx)}/suspension`, { data: { reason: "Matrix: suspend" } }) },
  { method: "DELETE", route: "/api/admin/users/[id]/suspension",     expected: X(401, 403, 403, 403, 204, 403, 401),
    note: "admin only; lifts the suspension of a fresh suspended user",
    call: async (api, fx) => api.delete(`/api/admin/users/${await suspendedUser(fx)}/suspension`) },
  { method: "PATCH", route: "/api/admin/articles/[slug]",            expected: X(401, 403, 403, 403, 200, 403, 401),
    note: "admin only; sets the article's policy to POST_MODERATION (its default, so nothing changes)",
    call: (api) => api.patch(`/api/admin/articles/${ARTICLE_SLUG}`, { data: { moderationPolicy: "POST_MODERATION" } }) },
  { method: "POST", route: "/api/admin/articles",                    expected: X(401, 403, 403, 403, 201, 403, 401),
    note: "admin only; adds an article with a fresh slug per cell (audit-logged)",
    call: (api) => api.post("/api/admin/articles", { data: matrixArticle() }) },
  { method: "POST", route: "/api/admin/articles/preview",            expected: X(401, 403, 403, 403, 200, 403, 401),
    note: "admin only; parses an article without storing it",
    call: (api) => api.post("/api/admin/articles/preview", { data: matrixArticle() }) },
  { method: "POST", route: "/api/admin/articles/[slug]/revision",    expected: X(401, 403, 403, 403, 201, 403, 401),
    note: "admin only; publishes a revision of a fresh admin-added article per cell (audit-logged)",
    call: async (api, fx) => api.post(`/api/admin/articles/${await freshArticle(fx)}/revision`, { data: matrixRevision }) },
  { method: "POST", route: "/api/admin/articles/[slug]/revision/preview", expected: X(401, 403, 403, 403, 200, 403, 401),
    note: "admin only; diffs a revision of a fresh admin-added article without storing it",
    call: async (api, fx) => api.post(`/api/admin/articles/${await freshArticle(fx)}/revision/preview`, { data: matrixRevision }) },
  { method: "POST", route: "/api/admin/ranking/runs",                expected: X(401, 403, 403, 403, 201, 403, 401),
    note: "admin only; runs the scoring job now (what npm run ranking:score does)",
    call: (api) => api.post("/api/admin/ranking/runs") },

  // ---- any signed-in person: their own settings
  { method: "GET", route: "/api/me/settings",                        expected: X(401, 200, 200, 200, 200, 200, 401),
    note: "sign-in required; the caller's own settings",
    call: (api) => api.get("/api/me/settings") },
  { method: "PATCH", route: "/api/me/settings",                      expected: X(401, 200, 200, 200, 200, 200, 401),
    note: "sign-in required; sets the caller's own research opt-out to its default (false)",
    call: (api) => api.patch("/api/me/settings", { data: { researchOptOut: false } }) },

  { method: "POST", route: "/api/me/email-verification",             expected: X(401, 202, 202, 409, 409, 202, 401),
    note: "sign-in required; sends the caller a new confirmation link (staff accounts are created confirmed: 409)",
    call: (api) => api.post("/api/me/email-verification", { data: {} }) },

  // ---- research: researchers and admins (sessions here; bearer tokens are covered by the integration tests)
  { method: "GET", route: "/api/v1/openapi.json",                    expected: X(200, 200, 200, 200, 200, 200, 200),
    note: "public: the export API's description",
    call: (api) => api.get("/api/v1/openapi.json") },
  { method: "GET", route: "/api/v1/studies",                         expected: X(401, 403, 403, 403, 200, 200, 401),
    note: "researcher or admin",
    call: (api) => api.get("/api/v1/studies") },
  { method: "POST", route: "/api/v1/studies",                        expected: X(401, 403, 403, 403, 201, 201, 401),
    note: "researcher or admin; a fresh study name per cell",
    call: (api) => api.post("/api/v1/studies", { data: { name: `Matrix study ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` } }) },
  { method: "GET", route: "/api/v1/exports",                         expected: X(401, 403, 403, 403, 200, 200, 401),
    note: "researcher or admin; lists the caller's own exports",
    call: (api) => api.get("/api/v1/exports") },
  { method: "POST", route: "/api/v1/exports",                        expected: X(401, 403, 403, 403, 202, 202, 401),
    note: "researcher or admin; exports this paragraph's article (published only) with the researcher's study (an admin may use any study)",
    call: (api, fx) => api.post("/api/v1/exports", { data: { studyId: fx.studyId, format: "jsonl", filters: { articles: [ARTICLE_SLUG] } } }) },
  { method: "GET", route: "/api/v1/exports/[id]",                    expected: X(401, 403, 403, 403, 200, 200, 401),
    note: "the researcher's finished export; an admin sees every export",
    call: (api, fx) => api.get(`/api/v1/exports/${fx.exportId}`) },
  { method: "GET", route: "/api/v1/exports/[id]/manifest",           expected: X(401, 403, 403, 403, 200, 200, 401),
    note: "the researcher's finished export's manifest",
    call: (api, fx) => api.get(`/api/v1/exports/${fx.exportId}/manifest`) },
  { method: "GET", route: "/api/v1/exports/[id]/download",           expected: X(401, 403, 403, 403, 200, 200, 401),
    note: "the researcher's finished export's bundle",
    call: (api, fx) => api.get(`/api/v1/exports/${fx.exportId}/download`) },
  { method: "GET", route: "/api/research/tokens",                    expected: X(401, 403, 403, 403, 200, 200, 401),
    note: "researcher or admin; the caller's own tokens; sessions only",
    call: (api) => api.get("/api/research/tokens") },
  { method: "POST", route: "/api/research/tokens",                   expected: X(401, 403, 403, 403, 201, 201, 401),
    note: "researcher or admin; sessions only (a token cannot make tokens)",
    call: (api) => api.post("/api/research/tokens", { data: { name: "Matrix token", scope: "export:read", expiresInDays: 1 } }) },
  { method: "DELETE", route: "/api/research/tokens/[id]",            expected: X(401, 403, 403, 403, 404, 200, 401),
    note: "a fresh token of the researcher's per cell: only its owner revokes it (an admin gets 404, not someone else's token)",
    call: async (api, fx) => api.delete(`/api/research/tokens/${await researcherToken(fx)}`) },
];

/**
 * Server actions ("use server"), as "file" entries, each needing rows above. There are none:
 * every write goes through a route handler. A new one fails the discovery test until added here
 * (with its rows).
 */
const SERVER_ACTIONS: string[] = [];

// ---------------------------------------------------------------- discovery

const ROOT = process.cwd();

/** "app/api/contributions/[id]/flags/route.ts" -> "/api/contributions/[id]/flags" (route groups dropped). */
function urlTemplate(file: string): string {
  return "/" + routeSegments(path.join(ROOT, "app"), file).join("/");
}

function discoverRoutes(): string[] {
  return routeHandlers(path.join(ROOT, "app"))
    .flatMap(({ file, methods }) => methods.map((m) => `${m} ${urlTemplate(file)}`))
    .sort();
}

function discoverServerActions(): string[] {
  return ["app", "lib"]
    .flatMap((d) => walk(path.join(ROOT, d)))
    .filter((f) => /\.(ts|tsx|js|jsx|mjs)$/.test(f) && !f.includes(`${path.sep}generated${path.sep}`))
    .filter((f) => /(^|\n|[{;]\s*)["']use server["']/.test(readFileSync(f, "utf8")))
    .map((f) => path.relative(ROOT, f))
    .sort();
}

test("every route handler and server action has a row in the matrix, and every row a handler", () => {
  const discovered = discoverRoutes();
  expect(discovered.length, "no route handlers found: is the test running from the project root?").toBeGreaterThan(0);
  const inTable = TABLE.map((r) => `${r.method} ${r.route}`).sort();
  expect(new Set(inTable).size, "the table lists a (method, route) twice").toBe(inTable.length);
  const missing = discovered.filter((k) => !inTable.includes(k));
  const stale = inTable.filter((k) => !discovered.includes(k));
  expect(missing, `route handlers with no row in the authorization matrix:\n${missing.join("\n")}`).toEqual([]);
  expect(stale, `rows for route handlers that no longer exist:\n${stale.join("\n")}`).toEqual([]);

  const actions = discoverServerActions().filter((f) => !SERVER_ACTIONS.includes(f));
  expect(actions, `server actions ("use server") not in the authorization matrix:\n${actions.join("\n")}`).toEqual([]);
});

// ---------------------------------------------------------------- the callers

async function signInApi(api: APIRequestContext, user: Pick<TestUser, "email" | "password" | "name">): Promise<void> {
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true" },
  });
  expect(res.status(), await res.text()).toBe(200);
  const session = (await (await api.get("/api/auth/session")).json()) as { user?: { name?: string } };
  expect(session.user?.name).toBe(user.name);
}

test.describe("authorization matrix", () => {
  let fx: Fx;
  const contexts: APIRequestContext[] = [];

  test.beforeAll(async ({ browser }, testInfo) => {
    testInfo.setTimeout(120_000);
    const baseURL = testInfo.project.use.baseURL;
    const newApi = async () => {
      const c = await playwrightRequest.newContext({ baseURL });
      contexts.push(c);
      return c;
    };
    const api = {} as Record<Caller, APIRequestContext>;
    for (const caller of CALLERS) api[caller] = await newApi();

    // Where the rows write: a real paragraph and article version, read from the page.
    const page = await browser.newPage({ baseURL });
    const article = new ArticlePage(page);
    await article.goto();
    const anchorId = await article.anchorId(MATRIX_PARAGRAPH);
    expect(anchorId).toMatch(/^p-/);
    const text = await article.text(MATRIX_PARAGRAPH);
    const versionId = (await page.locator("[data-version-id]").first().getAttribute("data-version-id")) ?? (await article.versionId());
    await page.close();

    await signInApi(api.admin, STAFF.ADMIN);
    await signInApi(api.moderator, STAFF.MODERATOR);
    for (const caller of ["reader", "author", "researcher", "suspended"] as const) {
      const user = await createUser(api.anonymous, caller[0]!.toUpperCase() + caller.slice(1));
      if (caller === "researcher") {
        await ok(await api.admin.patch(`/api/admin/users/${user.id}`, { data: { role: "RESEARCHER" } }), 200, "admin promotes");
      }
      await signInApi(api[caller], user);
      if (caller === "suspended") {
        // The session exists first; the suspension must end it at the next request.
        await ok(await api.admin.post(`/api/admin/users/${user.id}/suspension`, { data: { reason: "Matrix: suspended caller" } }), 201, "admin suspends");
      }
    }
    // The rows assume post-moderation (contributions publish at once); it is the default.
    await ok(await api.admin.patch(`/api/admin/articles/${ARTICLE_SLUG}`, { data: { moderationPolicy: "POST_MODERATION" } }), 200, "policy");
    // Research rows need a study of the researcher's and a finished export.
    const { study } = await ok<{ study: { id: string } }>(
      await api.researcher.post("/api/v1/studies", { data: { name: `Matrix fixture ${Date.now().toString(36)}` } }),
      201,
      "researcher creates a study",
    );
    const created = await ok<{ export: { id: string } }>(
      await api.researcher.post("/api/v1/exports", { data: { studyId: study.id, format: "csv", filters: { articles: [ARTICLE_SLUG] } } }),
      202,
      "researcher starts an export",
    );
    await expect
      .poll(async () => ((await (await api.researcher.get(`/api/v1/exports/${created.export.id}`)).json()) as { export: { status: string } }).export.status, {
        timeout: 60_000,
      })
      .toBe("SUCCEEDED");
    fx = { api, anchorId, versionId, text, studyId: study.id, exportId: created.export.id };
  });

  test.afterAll(async () => {
    for (const c of contexts) await c.dispose();
  });

  test("each caller gets the expected status from every route handler", async () => {
    test.setTimeout(300_000);
    const actual = new Map<string, Record<Caller, number | string>>();
    for (const row of TABLE) {
      const key = `${row.method} ${row.route}`;
      const got = {} as Record<Caller, number | string>;
      for (const caller of CALLERS) {
        try {
          const res = await row.call(fx.api[caller], fx);
          got[caller] = res.status();
          expect.soft(res.status(), `${key} as ${caller} (${row.note}): ${(await res.text()).slice(0, 300)}`).toBe(row.expected[caller]);
        } catch (err) {
          got[caller] = "ERR";
          expect.soft(null, `${key} as ${caller}: setup or request failed: ${(err as Error).message}`).toBe(row.expected[caller]);
        }
      }
      actual.set(key, got);
    }

    // The matrix, actual vs expected ("got≠want" marks a mismatch).
    const width = Math.max(...TABLE.map((r) => `${r.method} ${r.route}`.length));
    const lines = [`${"".padEnd(width)}  ${CALLERS.map((c) => c.padStart(10)).join(" ")}`];
    const mismatches: string[] = [];
    for (const row of TABLE) {
      const key = `${row.method} ${row.route}`;
      const got = actual.get(key)!;
      const cells = CALLERS.map((c) => {
        const same = got[c] === row.expected[c];
        if (!same) mismatches.push(`${key} as ${c}: got ${got[c]}, expected ${row.expected[c]}`);
        return (same ? String(got[c]) : `${got[c]}≠${row.expected[c]}`).padStart(10);
      });
      lines.push(`${key.padEnd(width)}  ${cells.join(" ")}`);
    }
    const matrix = lines.join("\n");
    console.log(`Authorization matrix (actual; "got≠expected" on a mismatch):\n${matrix}`);
    expect(mismatches, `Authorization matrix (actual; "got≠expected" on a mismatch):\n${matrix}\n\nMismatches:\n${mismatches.join("\n")}`).toEqual([]);
  });
});
