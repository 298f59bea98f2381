/**
 * Issue 14's reader defects, as a reader meets them: a report survives a reload as "You reported
 * this" (no second Report that would be refused), and signing up from an article's header comes
 * back to the article. The spec owns its article (e2e-reading).
 */
import { createContribution, createUser, e2eArticlePath, e2eArticleSlug, expect, newUserData, siteHeader, signIn, test, wholeParagraph, ArticlePage } from "./fixtures";

const PATH = e2eArticlePath("reading");

test("a reader's report is remembered after a reload: no second Report button (defect 6)", async ({ page, newPage }) => {
  const N = 2;
  const authorPage = await newPage();
  const author = await createUser(authorPage.request, "Reported");
  await signIn(authorPage, author);
  const authorArticle = new ArticlePage(authorPage, PATH);
  await authorArticle.goto();
  const t = await authorArticle.target(N);
  const c = await createContribution(
    authorPage.request,
    { anchorId: t.anchorId, versionId: t.versionId, kind: "ANNOTATION", body: "Something to report.", selector: wholeParagraph(t.text) },
    e2eArticleSlug("reading"),
  );

  const reader = await createUser(page.request, "Reporter");
  await signIn(page, reader);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  let panel = await article.openDiscussion(N);
  let item = panel.locator(`[data-contribution-id="${c.id}"]`);
  await item.getByRole("button", { name: "Report this annotation" }).click();
  await item.getByRole("radio", { name: /^Off-topic/ }).check();
  await item.getByRole("button", { name: "Send report" }).click();
  await expect(item.getByRole("status")).toHaveText("Reported — moderators will review it.");

  await page.reload();
  panel = await article.openDiscussion(N);
  item = panel.locator(`[data-contribution-id="${c.id}"]`);
  await expect(item).toContainText("Something to report.");
  await expect(item.locator("[data-reported]")).toHaveText("You reported this — moderators will review it.");
  await expect(item.getByRole("button", { name: "Report this annotation" })).toHaveCount(0);
});

test("signing up from an article's header comes back to the article (defect 7)", async ({ page }) => {
  await page.goto(PATH);
  const header = siteHeader(page);
  await header.getByRole("link", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/signup\?callbackUrl=/);
  const user = newUserData("Returner");
  await page.getByLabel("Display name").fill(user.name);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(new RegExp(`${PATH}$`));
  await expect(header).toContainText(`Signed in as ${user.name}`);

  // And the header's Sign in does the same.
  await header.getByRole("button", { name: "Sign out" }).click();
  await expect(header.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", `/signin?callbackUrl=${encodeURIComponent(PATH)}`);
});

test("overlapping claims: every contribution opens from its own words, the overlap is darker, and the form keeps the clicked passage (defects 1, 2)", async ({
  page,
  newPage,
}) => {
  const N = 3;
  const slug = e2eArticleSlug("reading");
  const first = await newPage();
  const a = await createUser(first.request, "OverlapA");
  await signIn(first, a);
  const firstArticle = new ArticlePage(first, PATH);
  await firstArticle.goto();
  const t = await firstArticle.target(N);
  const span = (start: number, end: number) => ({ start, end, exact: t.text.slice(start, end) });
  const early = await createContribution(first.request, { anchorId: t.anchorId, versionId: t.versionId, kind: "ANNOTATION", body: "On the early words.", selector: span(0, 40) }, slug);
  const b = await createUser(page.request, "OverlapB");
  await signIn(page, b);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const late = await createContribution(page.request, { anchorId: t.anchorId, versionId: t.versionId, kind: "COUNTERPOINT", body: "On the later words.", selector: span(20, 60) }, slug);

  await page.reload();
  const text = article.paragraphText(N);
  // One highlighted passage, cut where the claims start and end; the overlap is darker.
  await expect(text.locator('mark.claim[data-start="0"]')).toHaveAttribute("data-depth", "1");
  await expect(text.locator('mark.claim[data-start="20"]')).toHaveAttribute("data-depth", "2");
  await expect(text.locator('mark.claim[data-start="40"]')).toHaveAttribute("data-depth", "1");

  const listed = (panel: ReturnType<typeof article.panel>) =>
    panel.locator("[data-contribution-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-contribution-id")).sort());

  // Words only the later claim covers open the later contribution (before: always the first).
  await text.locator('mark.claim[data-start="40"]').click();
  let panel = article.panel(N);
  await expect(panel.getByText("Loading…")).toHaveCount(0);
  await expect.poll(() => listed(panel)).toEqual([late.id]);
  // The form responds to the highlighted passage clicked, not to the whole paragraph.
  await expect(panel.locator("q")).toHaveText(t.text.slice(0, 60));

  // The overlap opens both; the early words open the early one.
  await text.locator('mark.claim[data-start="20"]').click();
  panel = article.panel(N);
  await expect.poll(() => listed(panel)).toEqual([early.id, late.id].sort());
  await text.locator('mark.claim[data-start="0"]').click();
  panel = article.panel(N);
  await expect.poll(() => listed(panel)).toEqual([early.id]);
});
