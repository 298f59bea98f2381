import type { Page } from "@playwright/test";
import {
  ArticlePage,
  createContribution,
  createUser,
  e2eArticlePath,
  e2eArticleSlug,
  expect,
  signIn,
  siteHeader,
  spanOf,
  tabUntilFocused,
  test,
} from "./fixtures";
import { seriousViolations, STAFF } from "./moderation-fixtures";

/**
 * Search (/search, GET /api/search; the queue's Words filter): a reader finds a contribution by
 * its words, sees them marked, and the result's link lands on its paragraph — with the mouse and
 * with the keyboard alone — and the page passes axe. Every test writes to this spec's own copy of
 * the article (e2e-search) and searches a word of its own, so nothing else ever matches.
 */

const SLUG = e2eArticleSlug("search");
const PATH = e2eArticlePath("search");
const N = 4;

const unique = () => `zq${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)]!);

/** A fresh author posts `body` (an annotation on words of paragraph N) and signs out; returns its id and the paragraph's anchor. */
async function seed(page: Page, request: Parameters<typeof createUser>[0], body: string) {
  const author = await createUser(request, "Searched");
  await signIn(page, author);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const t = await article.target(N);
  const words = t.text.split(/\s+/).slice(0, 4).join(" ");
  const c = await createContribution(page.request, { anchorId: t.anchorId, versionId: t.versionId, kind: "ANNOTATION", body, selector: spanOf(t.text, words) }, SLUG);
  // Leave the signed-in page first: its own requests (the follows it reads once the session is known)
  // would otherwise race the cleared cookies and log a 401.
  await page.goto("about:blank");
  await page.context().clearCookies();
  return { id: c.id, anchorId: t.anchorId, author };
}

test("a reader searches words of a contribution, sees them marked and lands on the contribution itself", async ({ page, request }) => {
  const word = unique();
  const { id, anchorId, author } = await seed(page, request, `The ${word} exiles were running from the mobilisation, **not** from Russia.`);

  await page.goto("/");
  await siteHeader(page).getByRole("link", { name: "Search", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Search contributions" })).toBeVisible();
  // No words: the form only.
  await expect(page.getByRole("heading", { name: /^Results for/ })).toHaveCount(0);

  const form = page.getByRole("search", { name: "Contributions" });
  await form.getByLabel("Words").fill(`${word} exile run`);
  await form.getByLabel("Kind").selectOption("ANNOTATION");
  await form.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}\\+exile\\+run&article=&kind=ANNOTATION$`));

  const results = page.getByRole("list").filter({ has: page.locator("[data-result-id]") });
  const item = results.locator(`[data-result-id="${id}"]`);
  await expect(item).toBeVisible();
  await expect(results.locator("[data-result-id]")).toHaveCount(1);
  await expect(item.locator("mark")).toHaveText([word, "exiles", "running"]);
  await expect(item).toContainText("Annotation");
  await expect(item).toContainText(`by ${author.name}`);
  await expect(item.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  // The markdown is not rendered in a snippet, and nothing in it is HTML.
  await expect(item).toContainText("**not** from Russia");

  const link = item.getByRole("link", { name: new RegExp(`, ¶ ${N}$`) });
  await expect(link).toHaveAttribute("href", `${PATH}?contribution=${id}#${anchorId}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${PATH}\\?contribution=${id}#${anchorId}$`));
  // The paragraph's discussion opens on the found contribution, marked and focused.
  const article = new ArticlePage(page, PATH);
  await expect(article.paragraph(N)).toHaveAttribute("data-targeted", "true");
  const found = article.panel(N).locator(`[data-contribution-id="${id}"]`);
  await expect(found).toHaveAttribute("data-linked", "true");
  await expect(found).toBeFocused();

  // Other words: a clear message, not an empty page.
  await page.goto(`/search?q=${word}+nothingmatchesthis`);
  await expect(page.getByText(`No published contributions match “${word} nothingmatchesthis”.`, { exact: false })).toBeVisible();
  await page.goto("/search?q=the+and");
  await expect(page.getByText("has only very common words", { exact: false })).toBeVisible();
});

test("search works with the keyboard alone", async ({ page, request }) => {
  const word = unique();
  const { id, anchorId } = await seed(page, request, `Keyboard ${word} readers find counterpoints too.`);

  await page.goto("/search");
  const input = page.getByLabel("Words");
  await tabUntilFocused(page, input);
  await page.keyboard.type(`${word} reader`);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: `Results for “${word} reader”` })).toBeVisible();
  await expect(page.locator("[data-result-id] mark").first()).toBeVisible();

  const link = page.locator("[data-result-id]").getByRole("link", { name: new RegExp(`, ¶ ${N}$`) });
  await tabUntilFocused(page, link, 30);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`\\?contribution=${id}#${anchorId}$`));
  await expect(new ArticlePage(page, PATH).panel(N).locator(`[data-contribution-id="${id}"]`)).toBeFocused();
});

test("the search page passes axe, empty and with results", async ({ page, request }) => {
  await page.goto("/search");
  expect(await seriousViolations(page)).toEqual([]);
  const word = unique();
  await seed(page, request, `Accessible ${word} results with marked words.`);
  await page.goto(`/search?q=${word}+marked`);
  await expect(page.locator("[data-result-id] mark").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("a hidden contribution is not found by readers; moderators find it with the queue's Words filter", async ({ page, request, newPage }) => {
  const word = unique();
  const { id } = await seed(page, request, `Reported ${word} claim about the draft.`);
  // Three reports from different readers hide it pending review (MODERATION_AUTO_HIDE_FLAGS).
  for (let i = 0; i < 3; i++) {
    const reader = await newPage();
    await signIn(reader, await createUser(reader.request, "Reporter"));
    expect((await reader.request.post(`/api/contributions/${id}/flags`, { data: { reason: "SPAM" } })).status()).toBe(201);
  }
  await page.goto(`/search?q=${word}`);
  await expect(page.getByText(`No published contributions match “${word}”.`, { exact: false })).toBeVisible();
  const api = await page.request.get(`/api/search?q=${word}`);
  expect(api.status()).toBe(200);
  expect(((await api.json()) as { items: unknown[] }).items).toEqual([]);

  const mod = await newPage();
  await signIn(mod, STAFF.MODERATOR);
  await mod.goto("/admin");
  await mod.getByLabel("Words").fill(`${word} draft`);
  await mod.getByRole("button", { name: "Apply filters" }).click();
  await expect(mod).toHaveURL(new RegExp(`[?&]q=${word}\\+draft`));
  await expect(mod.locator(`[data-queue-item="${id}"]`)).toBeVisible();
  await expect(mod.locator("[data-queue-item]")).toHaveCount(1);
  await expect(mod.getByLabel("Words")).toHaveValue(`${word} draft`);
});

test("the API answers 422 for no words and 404 for an unknown article", async ({ request }) => {
  const none = await request.get("/api/search");
  expect(none.status()).toBe(422);
  expect(await none.text()).toContain("enter words to search for");
  expect((await request.get(`/api/search?q=exile&article=no-such-article`)).status()).toBe(404);
  expect((await request.get(`/api/search?q=exile&kind=POEM`)).status()).toBe(422);
  const ok = await request.get(`/api/search?q=exile&article=${SLUG}`);
  expect(ok.status()).toBe(200);
});
