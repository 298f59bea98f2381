/**
 * The Content-Security-Policy (proxy.ts, lib/http/csp.ts): every page of the app loads and
 * works under it with no violation reported, pages rendered per request carry a fresh nonce,
 * and the cached article page stays cached.
 */
import type { Page } from "@playwright/test";
import { STAFF } from "./moderation-fixtures";
import { ARTICLE_PATH, expect, signIn, siteHeader, test } from "./fixtures";

/** Collects every CSP violation the page reports (event and console), from the first byte on. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction("__reportCspViolation", (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`,
      );
    });
  });
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(msg.text())) seen.push(msg.text());
  });
  return seen;
}

const policyOf = (headers: Record<string, string>) => headers["content-security-policy"] ?? "";
const scriptSrc = (policy: string) => policy.split("; ").find((d) => d.startsWith("script-src ")) ?? "";

async function visit(page: Page, path: string, ready: (page: Page) => Promise<void>): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  const policy = policyOf(res!.headers());
  expect(policy, path).toContain("frame-ancestors 'none'");
  expect(policy, path).toContain("object-src 'none'");
  expect(policy, path).toContain("base-uri 'self'");
  expect(res!.headers()["permissions-policy"], path).toContain("camera=()");
  // The page's own scripts ran (hydration): what each page shows only once React is running.
  await ready(page);
}

test("every page loads with no Content-Security-Policy violation", async ({ page, newPage, consoleGuard }) => {
  consoleGuard.allowFailedRequest(404, /\/no-such-page$/);
  const violations = await watchViolations(page);
  const hydrated = (p: Page) => expect(siteHeader(p).getByRole("link", { name: "Sign in" })).toBeVisible();

  // Signed out.
  await visit(page, "/", hydrated);
  await visit(page, ARTICLE_PATH, async (p) => {
    await hydrated(p);
    await expect(p.getByRole("button", { name: /Discuss/ }).first()).toBeVisible();
  });
  await visit(page, "/privacy", hydrated);
  await visit(page, "/moderation", hydrated);
  await visit(page, "/ranking", hydrated);
  for (const path of ["/forgot-password", "/reset-password", "/verify-email", "/unsubscribe"]) await visit(page, path, hydrated);
  await visit(page, "/signup", hydrated);
  await visit(page, "/signin", hydrated);
  // The sign-in form is a client component: signing in through it proves its scripts run.
  await page.getByLabel("Email", { exact: true }).fill(STAFF.ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(STAFF.ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(siteHeader(page)).toContainText(`Signed in as ${STAFF.ADMIN.name}`);

  // Signed in as an admin (who may also use the research pages).
  const signedIn = (p: Page) => expect(siteHeader(p)).toContainText(`Signed in as ${STAFF.ADMIN.name}`);
  for (const path of ["/", ARTICLE_PATH, "/admin", "/admin/log", "/admin/users", "/research", "/research/tokens", "/me/contributions", "/me/settings", "/moderation", "/privacy"]) {
    await visit(page, path, signedIn);
  }
  // Client-side navigation (scripts loaded by scripts: 'strict-dynamic') and the 404 page.
  await page.goto("/admin");
  await page.getByRole("link", { name: "People" }).first().click();
  await page.waitForURL(/\/admin\/users$/);
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  expect(policyOf(missing!.headers())).toContain("frame-ancestors 'none'");

  // Someone else, signed out, on a fresh context: the same for a first visit.
  const other = await newPage();
  const otherViolations = await watchViolations(other);
  await visit(other, ARTICLE_PATH, hydrated);
  expect([...violations, ...otherViolations]).toEqual([]);
});

test("pages rendered per request get a fresh nonce; cached pages stay cached", async ({ request }) => {
  const nonces = new Set<string>();
  for (let i = 0; i < 2; i++) {
    const res = await request.get("/signin");
    const policy = policyOf(res.headers());
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc(policy))?.[1];
    expect(nonce).toBeTruthy();
    expect(scriptSrc(policy)).toContain("'strict-dynamic'");
    expect(scriptSrc(policy)).not.toContain("'unsafe-inline'");
    // Every script tag on the page carries this response's nonce.
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    nonces.add(nonce!);
  }
  expect(nonces.size).toBe(2);

  // The ISR article page: served from the cache (docs/decisions/0006-cached-pages.md).
  await request.get(ARTICLE_PATH);
  const cached = await request.get(ARTICLE_PATH);
  // HIT, or STALE once its 30 s are up (served from the cache while it regenerates).
  expect(["HIT", "STALE"]).toContain(cached.headers()["x-nextjs-cache"]);
  expect(scriptSrc(policyOf(cached.headers()))).toBe("script-src 'self' 'unsafe-inline'");
});
