/**
 * Issue 8, "request trust", through real HTTP against the production server (scripts/server.mjs):
 * cross-site request forgery (lib/http/origin.ts via proxy.ts), redirects after sign-in and
 * sign-up (lib/http/redirect.ts), and next-auth's answers to a foreign callbackUrl.
 * The client address (TRUSTED_PROXY_HOPS) and the CSP have their own specs.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, Page } from "@playwright/test";
import { STAFF } from "./moderation-fixtures";
import {
  ARTICLE_SLUG,
  createContribution,
  createUser,
  expect,
  newUserData,
  PARAGRAPH,
  signIn,
  test,
  wholeParagraph,
  type ContributionInput,
} from "./fixtures";

const N = PARAGRAPH.requestTrust;
const EVIL = "http://evil.example";
const FOREIGN = { origin: EVIL, "content-type": "text/plain" };

/** What the browser would have sent from a page on evil.example: a foreign Origin, a text/plain body. */
function forged(api: APIRequestContext, method: "post" | "patch" | "delete", url: string, body: unknown) {
  return api[method](url, { headers: FOREIGN, data: JSON.stringify(body) });
}

async function contributionsOn(api: APIRequestContext, anchorId: string): Promise<{ id: string; body: string }[]> {
  const res = await api.get(`/api/articles/${ARTICLE_SLUG}/paragraphs/${anchorId}/contributions`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: { id: string; body: string }[] }).items;
}

test("state-changing requests from another origin are refused (403), and JSON routes want JSON (415)", async ({ page, article, newPage }) => {
  const reader = await createUser(page.request, "Victim");
  await signIn(page, reader);
  await article.goto();
  const target = await article.target(N);
  const input: ContributionInput = {
    anchorId: target.anchorId,
    versionId: target.versionId,
    kind: "ANNOTATION",
    body: "Written by the victim themself.",
    selector: wholeParagraph(target.text),
  };
  const api = page.request;
  const own = await createContribution(api, input);
  const contributionsUrl = `/api/articles/${ARTICLE_SLUG}/contributions`;

  // The reader's cookie rides along, but the requests say they come from evil.example.
  for (const [what, res] of [
    ["create", await forged(api, "post", contributionsUrl, { ...input, body: "Forged post." })],
    ["edit", await forged(api, "patch", `/api/contributions/${own.id}`, { version: own.version, body: "Forged edit." })],
    ["delete", await api.delete(`/api/contributions/${own.id}?version=${own.version}`, { headers: { origin: EVIL } })],
    ["settings", await forged(api, "patch", "/api/me/settings", { researchOptOut: true })],
    ["sign-out", await api.post("/api/auth/signout", { headers: { origin: EVIL }, form: { csrfToken: "x" } })],
  ] as const) {
    expect(res.status(), `${what}: ${await res.text()}`).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  }
  // Sec-Fetch-Site alone is enough: a sibling site (another port of this host) is refused too.
  const sibling = await api.post(contributionsUrl, { headers: { "sec-fetch-site": "same-site" }, data: { ...input, body: "Sibling." } });
  expect(sibling.status()).toBe(403);
  // From the app's own origin, but not JSON: 415, nothing posted.
  const plain = await api.post(contributionsUrl, { headers: { "content-type": "text/plain" }, data: JSON.stringify(input) });
  expect(plain.status(), await plain.text()).toBe(415);
  expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
  const form = await api.post(contributionsUrl, { form: { body: "Form post." } });
  expect(form.status()).toBe(415);

  const items = await contributionsOn(api, target.anchorId);
  expect(items.map((c) => c.body)).toEqual(["Written by the victim themself."]);
  const settings = await api.get("/api/me/settings");
  expect(((await settings.json()) as { settings: { researchOptOut: boolean } }).settings.researchOptOut).toBe(false);
  expect(((await (await api.get("/api/auth/session")).json()) as { user?: { name: string } }).user?.name).toBe(reader.name);

  // The same requests from the app's own origin (as the app's pages send them) work.
  const ok = await api.patch(`/api/contributions/${own.id}`, {
    headers: { origin: new URL(page.url()).origin, "sec-fetch-site": "same-origin" },
    data: { version: own.version, body: "Edited by the victim." },
  });
  expect(ok.status(), await ok.text()).toBe(200);

  // Staff actions: role change, research token, moderation decision, report.
  const adminPage = await newPage();
  await signIn(adminPage, STAFF.ADMIN);
  const admin = adminPage.request;
  for (const [what, res] of [
    ["role", await forged(admin, "patch", `/api/admin/users/${reader.id}`, { role: "ADMIN" })],
    ["token", await forged(admin, "post", "/api/research/tokens", { name: "Forged", scope: "export", expiresInDays: 30 })],
    ["decision", await forged(admin, "post", "/api/admin/decisions", { decision: "HIDE", reason: "x", items: [{ id: own.id, version: own.version + 1 }] })],
    ["flag", await forged(admin, "post", `/api/contributions/${own.id}/flags`, { reason: "SPAM" })],
  ] as const) {
    expect(res.status(), `${what}: ${await res.text()}`).toBe(403);
  }
  const users = (await (await admin.get(`/api/admin/users?q=${encodeURIComponent(reader.email)}`)).json()) as { users: { role: string }[] };
  expect(users.users[0]?.role).toBe("READER");
  const tokens = (await (await admin.get("/api/research/tokens")).json()) as { items: { name: string }[] };
  expect(tokens.items.map((t) => t.name)).not.toContain("Forged");
  expect((await contributionsOn(api, target.anchorId)).map((c) => c.body)).toEqual(["Edited by the victim."]);
});

test("a page on another port of the same host cannot post as the visitor (form and no-cors fetch)", async ({ page, article, consoleGuard }) => {
  const reader = await createUser(page.request, "Sibling");
  await signIn(page, reader);
  await article.goto();
  const target = await article.target(N);
  const app = new URL(page.url()).origin;
  const url = `${app}/api/articles/${ARTICLE_SLUG}/contributions`;
  const payload = JSON.stringify({
    anchorId: target.anchorId,
    versionId: target.versionId,
    kind: "ANNOTATION",
    body: "Posted by the sibling page.",
    selector: wholeParagraph(target.text),
  });
  // A text/plain form sends `name=value`: split the JSON inside the body text so that the "="
  // lands there and the whole is still valid JSON ("Posted by the sibling=page.").
  const cut = payload.indexOf("sibling") + "sibling".length;
  const [name, value] = [payload.slice(0, cut), payload.slice(cut + 1)];
  const attack = `<!doctype html><title>Sibling</title>
    <form method="post" action="${url}" enctype="text/plain"><input type="hidden" name='${name.replace(/'/g, "&#39;")}' value='${value.replace(/'/g, "&#39;")}'></form>
    <script>
      window.fetchDone = fetch(${JSON.stringify(url)}, { method: "POST", mode: "no-cors", credentials: "include", body: ${JSON.stringify(payload)} })
        .then(() => "sent", () => "failed");
    </script>`;
  // The attacker's page, on another port of this host (one the operating system picks): the
  // same site as the app, so SameSite=Lax cookies go along with its requests.
  const sibling = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(attack));
  await new Promise<void>((resolve) => sibling.listen(0, resolve));
  const siblingOrigin = `http://localhost:${(sibling.address() as AddressInfo).port}`;
  consoleGuard.allowFailedRequest(403, /\/api\/articles\/[^/]+\/contributions$/);
  // The form navigates to the app's 403 answer, and the browser then asks for a favicon there.
  consoleGuard.allowFailedRequest(404, /\/favicon\.ico$/);
  try {
    await page.goto(`${siblingOrigin}/attack`);
    expect(await page.evaluate(() => (window as unknown as { fetchDone: Promise<string> }).fetchDone)).toBe("sent");
    const answer = page.waitForResponse((r) => r.url() === url && r.request().method() === "POST");
    await page.locator("form").evaluate((f: HTMLFormElement) => f.submit());
    expect((await answer).status()).toBe(403);
  } finally {
    sibling.close();
  }

  const bodies = (await contributionsOn(page.request, target.anchorId)).map((c) => c.body);
  expect(bodies.filter((b) => b.includes("Posted by the sibling"))).toEqual([]);
});

test("a research token (no cookie) still works from a script, whatever the Origin", async ({ page, playwright, baseURL }) => {
  await signIn(page, STAFF.ADMIN);
  const created = await page.request.post("/api/research/tokens", { data: { name: `Script ${Date.now()}`, scope: "export", expiresInDays: 1 } });
  expect(created.status(), await created.text()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const script = await playwright.request.newContext({ baseURL });
  try {
    const headers = { authorization: `Bearer ${token}`, origin: EVIL };
    const study = await script.post("/api/v1/studies", { headers, data: { name: `From a script ${Date.now()}` } });
    expect(study.status(), await study.text()).toBe(201);
    const list = await script.get("/api/v1/studies", { headers });
    expect(list.status()).toBe(200);
    // A bearer token's body must still be JSON.
    const plain = await script.post("/api/v1/studies", { headers: { ...headers, "content-type": "text/plain" }, data: "{}" });
    expect(plain.status()).toBe(415);
  } finally {
    await script.dispose();
  }
});

// ---------------------------------------------------------------- redirects

const PAYLOADS = ["/%09/evil.example/", "/%0A/evil.example/", "/%0D/evil.example/", "/%09%5Cevil.example/", "//evil.example/", "javascript:alert(1)"];

/** Records any request the page makes to evil.example, and answers it without the network. */
async function watchEvil(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.route((url) => url.hostname.endsWith("evil.example"), (route) => {
    seen.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: "<title>Evil</title>evil" });
  });
  return seen;
}

test("after sign-in, a callbackUrl that leaves the site leads home instead", async ({ page }) => {
  const user = await createUser(page.request, "Redirected");
  const evil = await watchEvil(page);
  for (const payload of PAYLOADS) {
    await page.context().clearCookies();
    await page.goto(`/signin?callbackUrl=${payload}`);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // The header can show the new session before the page navigates away from /signin: wait for home.
    await expect(page, payload).toHaveURL((url) => url.pathname === "/");
    await expect(page.getByRole("navigation", { name: "Site" })).toContainText(`Signed in as ${user.name}`);
  }
  // A callback on the site itself is still followed.
  await page.context().clearCookies();
  await page.goto("/signin?callbackUrl=%2Fprivacy%3Fx%3D1");
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/privacy\?x=1$/);
  expect(evil).toEqual([]);
});

test("after sign-up, a callbackUrl that leaves the site leads home instead", async ({ page }) => {
  const evil = await watchEvil(page);
  for (const payload of PAYLOADS) {
    await page.context().clearCookies();
    const data = newUserData("Newcomer");
    await page.goto(`/signup?callbackUrl=${payload}`);
    await page.getByLabel("Display name").fill(data.name);
    await page.getByLabel("Email", { exact: true }).fill(data.email);
    await page.getByLabel("Password", { exact: true }).fill(data.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("navigation", { name: "Site" })).toContainText(`Signed in as ${data.name}`);
    expect(new URL(page.url()).pathname, payload).toBe("/");
  }
  expect(evil).toEqual([]);
});

test("next-auth's own routes answer a foreign callbackUrl with a 4xx or the home page, never a 500", async ({ request, baseURL }) => {
  const home = new URL("/", baseURL).href;
  for (const callbackUrl of ["javascript:alert(1)", "evil.example", `${baseURL}.evil.example/`, "http://evil.example/", "//evil.example"]) {
    for (const path of ["/api/auth/signin", "/api/auth/signout", "/api/auth/signin/credentials", "/api/auth/error"]) {
      const res = await request.get(`${path}?callbackUrl=${encodeURIComponent(callbackUrl)}`, { maxRedirects: 0 });
      const status = res.status();
      const location = res.headers()["location"] ?? "";
      expect(status, `${path} ${callbackUrl}`).toBeLessThan(500);
      expect(location, `${path} ${callbackUrl}`).not.toMatch(/evil\.example|javascript:/i);
    }
  }
  // The sign-in POST (as the form sends it) with a foreign callbackUrl lands home.
  const user = await createUser(request, "Callback");
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true", callbackUrl: "http://evil.example/" },
  });
  expect(res.status(), await res.text()).toBe(200);
  expect(((await res.json()) as { url: string }).url).toBe(home);
});
