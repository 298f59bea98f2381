/**
 * Issue 14's reader defects, as a reader meets them: a report survives a reload as "You reported
 * this" (no second Report that would be refused), and signing up from an article's header comes
 * back to the article. The spec owns its article (e2e-reading).
 */
import { ArticlePage, createContribution, createUser, e2eArticlePath, e2eArticleSlug, expect, newUserData, siteHeader, signIn, tabUntilFocused, test, wholeParagraph } from "./fixtures";
import { STAFF } from "./moderation-fixtures";

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

test("typed words to quote are never dropped: posting without pressing Quote these words uses them (defect 3)", async ({ page }) => {
  const N = 5;
  const author = await createUser(page.request, "Quietquoter");
  await signIn(page, author);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const text = await article.text(N);
  const words = text.split(" ").slice(2, 6).join(" ");
  const panel = await article.openForm(N);
  await panel.getByRole("button", { name: "Quote part of it" }).click();
  await page.keyboard.type(words);
  await expect(panel.getByText("Not applied yet: press Quote these words (posting also uses them).")).toBeVisible();
  // Tab onward, past "Quote these words", without pressing it.
  await tabUntilFocused(page, panel.getByLabel("Your annotation"), 8);
  await page.keyboard.type("Posted on the typed words.");
  await panel.getByRole("button", { name: "Post annotation" }).click();
  const posted = panel.getByRole("article", { name: `Annotation by ${author.name}` });
  await expect(posted).toContainText("Posted on the typed words.");
  await expect(posted.getByRole("button", { name: `Show the claim in the text: ${words}` })).toBeVisible();
  await expect(posted).not.toContainText("On the whole paragraph");

  // Words that are not there stop the post and say why; nothing is posted on the whole paragraph.
  await panel.getByRole("button", { name: "Respond" }).click();
  await panel.getByRole("button", { name: "Quote part of it" }).click();
  await page.keyboard.type("words that are nowhere here");
  await panel.getByLabel("Your annotation").fill("Should not be posted.");
  await panel.getByRole("button", { name: "Post annotation" }).click();
  await expect(panel.getByText("The words to quote are not in this paragraph. Nothing was posted.")).toBeVisible();
  await expect(panel.getByLabel("Words to quote")).toHaveAttribute("aria-invalid", "true");
  await expect(panel.locator("[data-contribution-id]").filter({ hasText: "Should not be posted." })).toHaveCount(0);
});

test("an open discussion comes first, leaves no gap in the text and clips nothing (defect 4, wide screens)", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const N = 7;
  const slug = e2eArticleSlug("reading");
  const author = await createUser(page.request, "Gapless");
  await signIn(page, author);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const t = await article.target(N);
  for (let i = 0; i < 6; i++) {
    await createContribution(
      page.request,
      { anchorId: t.anchorId, versionId: t.versionId, kind: "ANNOTATION", body: `Note ${i}: ${"a longer line of text ".repeat(12)}`, selector: wholeParagraph(t.text) },
      slug,
    );
  }
  await article.goto();
  const gap = async () => {
    const a = (await article.paragraphText(N).boundingBox())!;
    const b = (await article.paragraphText(N + 1).boundingBox())!;
    return b.y - (a.y + a.height);
  };
  const closed = await gap();
  const panel = await article.openDiscussion(N);
  await expect(panel.locator("[data-contribution-id]")).toHaveCount(6);
  // The next paragraph stays where it was: the panel lies over the margin, not in the text's row.
  expect(Math.abs((await gap()) - closed)).toBeLessThanOrEqual(2);
  // No inner scroll box: everything in the panel is laid out at full height.
  expect(await panel.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
  const box = (await panel.boundingBox())!;
  expect(box.height).toBeGreaterThan(600);

  // The discussion comes first: no form above it (it was ~500 px tall), the first contribution just
  // under the heading, the Respond button and the Show / order choices.
  const form = panel.getByRole("form", { name: "Add to the discussion" });
  await expect(form).toBeHidden();
  const heading = (await panel.getByRole("heading", { name: `Discussion of paragraph ${N}` }).boundingBox())!;
  const first = (await panel.locator("[data-contribution-id]").first().boundingBox())!;
  expect(first.y - (heading.y + heading.height)).toBeLessThan(240);
  // "Respond" opens the form with focus in it; Cancel closes it, focus returns, and the draft is kept.
  const respond = panel.getByRole("button", { name: "Respond" });
  await respond.click();
  await expect(form).toBeVisible();
  await expect(panel.getByRole("radio", { name: "Annotation" })).toBeFocused();
  await panel.getByLabel("Your annotation").fill("A draft I am not ready to post.");
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(form).toBeHidden();
  await expect(respond).toBeFocused();
  await respond.press("Enter");
  await expect(panel.getByLabel("Your annotation")).toHaveValue("A draft I am not ready to post.");
});

test("nothing sits off-screen or hides behind an unannounced scroll (defect 8)", async ({ page }) => {
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  // 390 px: the ¶ link is on screen and no page scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const pilcrow = page.getByRole("link", { name: "Link to paragraph 1", exact: true });
  expect((await pilcrow.boundingBox())!.x).toBeGreaterThanOrEqual(0);
  expect(await overflow()).toBe(0);
  await signIn(page, STAFF.MODERATOR);
  for (const path of ["/admin/log", "/moderation", "/admin"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await overflow(), path).toBe(0);
  }
  // 1440 px: the monthly statistics show every column without a sideways scroll.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/moderation");
  const stats = page.getByRole("region", { name: "Moderation statistics per month" });
  expect(await stats.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
});
