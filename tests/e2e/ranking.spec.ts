import type { APIRequestContext, Locator, Page } from "@playwright/test";
import {
  ArticlePage,
  createContribution,
  createUser,
  expect,
  PARAGRAPH,
  signIn,
  test,
  wholeParagraph,
  type ContributionJson,
  type TestUser,
} from "./fixtures";
import { seriousViolations, STAFF } from "./moderation-fixtures";

/**
 * Ratings and "Most helpful": two readers rate in the margin (seeing others' ratings only once
 * they have), an operator scoring run, and the margin reorders: the counterpoint every rater
 * found helpful comes first, marked "Helpful across perspectives". The e2e server never scores
 * on its own (scripts/e2e-server.mjs), so the order before the run is the order without scores.
 */

const N = PARAGRAPH.ranking;

async function rate(request: APIRequestContext, id: string, value: string): Promise<void> {
  const res = await request.put(`/api/contributions/${id}/rating`, { data: { value, tags: [] } });
  expect(res.status(), await res.text()).toBe(200);
}

const items = (panel: Locator) => panel.locator("[data-contribution-id]");
const ids = (panel: Locator) => items(panel).evaluateAll((els) => els.map((e) => e.getAttribute("data-contribution-id")));

async function readerPage(page: Page, user: TestUser): Promise<ArticlePage> {
  await signIn(page, user);
  const article = new ArticlePage(page);
  await article.goto();
  return article;
}

test("two readers rate, a scoring run, and the margin puts the counterpoint helpful across perspectives first", async ({
  page,
  newPage,
}) => {
  test.setTimeout(180_000);
  // The author writes five counterpoints, oldest first; the first is the one everyone finds helpful.
  const authorPage = await newPage();
  const author = await createUser(authorPage.request, "Author");
  await signIn(authorPage, author);
  const authorArticle = new ArticlePage(authorPage);
  await authorArticle.goto();
  const target = await authorArticle.target(N);
  const posted: ContributionJson[] = [];
  for (let i = 0; i < 5; i++) {
    posted.push(
      await createContribution(authorPage.request, {
        anchorId: target.anchorId,
        versionId: target.versionId,
        kind: "COUNTERPOINT",
        body: i === 0 ? "The strongest counterpoint, with a source everyone accepts." : `A weaker counterpoint number ${i}.`,
        selector: wholeParagraph(target.text),
      }),
    );
  }
  const [best, ...rest] = posted.map((c) => c.id);
  const newestFirst = [...posted.map((c) => c.id)].reverse();

  // Four readers with a history of ratings (the model leaves out raters with fewer than five).
  for (let r = 0; r < 4; r++) {
    const p = await newPage();
    const reader = await createUser(p.request, "Rater");
    await signIn(p, reader);
    for (const id of posted.map((c) => c.id)) await rate(p.request, id, id === best ? "HELPFUL" : "NOT_HELPFUL");
    await p.close();
  }

  // Two readers rate in the margin.
  for (const label of ["First reader", "Second reader"]) {
    const p = label === "First reader" ? page : await newPage();
    const reader = await createUser(p.request, "Reader", `${label} ${Date.now().toString(36)}`);
    const article = await readerPage(p, reader);
    const panel = await article.openDiscussion(N);
    // No scores yet: newest first, each one waiting for ratings.
    expect(await ids(panel)).toEqual(newestFirst);
    await expect(panel.getByRole("group", { name: "Order of contributions" }).getByRole("button", { name: "Newest" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    const item = panel.locator(`[data-contribution-id="${best}"]`);
    await expect(item.getByText("Needs more ratings")).toBeVisible();
    // Others' ratings stay hidden until this reader has rated.
    await expect(item.getByText(/ratings?:/)).toHaveCount(0);
    await item.getByRole("button", { name: "Rate this counterpoint" }).click();
    const form = item.getByRole("form", { name: "Rate this counterpoint" });
    const helpful = form.getByRole("radio", { name: "Helpful", exact: true });
    await expect(helpful).toBeFocused();
    await p.keyboard.press("Space");
    await expect(helpful).toBeChecked();
    await form.getByRole("checkbox", { name: "Addresses the claim" }).check();
    if (label === "First reader") expect(await seriousViolations(p)).toEqual([]);
    await form.getByRole("button", { name: "Save rating" }).click();
    const status = item.getByRole("status");
    await expect(status).toBeFocused();
    const before = label === "First reader" ? 5 : 6;
    await expect(status).toContainText(`You rated this helpful (addresses the claim). ${before} ratings: ${before} helpful, 0 somewhat helpful, 0 not helpful.`);
    // The other four through the API, for a history (same session).
    for (const id of rest) await rate(p.request, id, "NOT_HELPFUL");
    if (p !== page) await p.close();
  }

  // An operator scoring run.
  const adminPage = await newPage();
  await signIn(adminPage, STAFF.ADMIN);
  const run = await adminPage.request.post("/api/admin/ranking/runs");
  expect(run.status(), await run.text()).toBe(201);
  await adminPage.close();

  // The margin reorders: Most helpful is now the default, the best counterpoint first and marked.
  await page.reload();
  const article = new ArticlePage(page);
  // Before opening anything, the margin says where the argument stands: a counterpoint rated
  // helpful across perspectives disputes the paragraph, and it is the item the discussion opens with.
  await expect(article.paragraph(N).locator("[data-contested]")).toHaveText("Disputed: 1 objection rated helpful across perspectives");
  await expect(article.paragraph(N).locator("[data-top-item]")).toHaveText(
    `Top counterpoint: “The strongest counterpoint, with a source everyone accepts.” — ${author.name}`,
  );
  const panel = await article.openDiscussion(N);
  const toggle = panel.getByRole("group", { name: "Order of contributions" });
  await expect(toggle.getByRole("button", { name: "Most helpful" })).toHaveAttribute("aria-pressed", "true");
  await expect(items(panel).first()).toHaveAttribute("data-contribution-id", best!);
  await expect(items(panel).first().getByText("Helpful across perspectives")).toBeVisible();
  expect((await ids(panel)).slice(1).sort()).toEqual([...rest].sort());
  await expect(panel.getByRole("list", { name: `Contributions on paragraph ${N}, most helpful first` })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Newest brings back the order by time, and keeps focus on the toggle.
  const newest = toggle.getByRole("button", { name: "Newest" });
  await newest.click();
  await expect(newest).toHaveAttribute("aria-pressed", "true");
  await expect(newest).toBeFocused();
  await expect.poll(() => ids(panel)).toEqual(newestFirst);

  // The reader may change and withdraw their rating.
  const mine = panel.locator(`[data-contribution-id="${best}"]`);
  await mine.getByRole("button", { name: "Withdraw your rating of this counterpoint" }).click();
  await expect(mine.getByRole("button", { name: "Rate this counterpoint" })).toBeFocused();
});

test("the public /ranking page explains the model and shows the last run", async ({ page }) => {
  await page.goto("/ranking");
  await expect(page.getByRole("heading", { level: 1, name: "How “Most helpful” works" })).toBeVisible();
  await expect(page.getByText(/Helpful across perspectives: helpfulness at least 0\.30/)).toBeVisible();
  await expect(page.getByText(/newest first/).first()).toBeVisible();
  await expect(page.getByTestId("last-run")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
