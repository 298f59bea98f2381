import { ArticlePage, createContribution, createReply, createUser, e2eArticlePath, e2eArticleSlug, expect, signIn, test, wholeParagraph } from "./fixtures";

// Shared links: to a contribution (opens the paragraph, the thread down to it, focuses it) and to a passage.
const SLUG = e2eArticleSlug("sharing");
const PATH = e2eArticlePath("sharing");

test("a copied link to a reply two levels deep opens its thread for another reader and focuses it", async ({ page, newPage }) => {
  const N = 2;
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const author = await createUser(page.request, "Linker");
  await signIn(page, author);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const t = await article.target(N);
  const root = await createContribution(page.request, { ...t, kind: "COUNTERPOINT", body: "The root of the thread.", selector: wholeParagraph(t.text) }, SLUG);
  const middle = await createReply(page.request, root.id, "A reply in the middle.");
  const deep = await createReply(page.request, middle.id, "The reply worth sharing.");

  await article.goto();
  const panel = await article.openDiscussion(N);
  await panel.getByRole("button", { name: /^Show 1 reply/ }).click();
  await panel.getByRole("button", { name: /^Show 1 reply/ }).click();
  const item = panel.locator(`[data-contribution-id="${deep.id}"]`);
  await expect(item).toContainText("The reply worth sharing.");
  await item.getByRole("button", { name: `Copy link to ${author.name}’s reply` }).click();
  await expect(item.getByText("Link copied")).toBeVisible();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toMatch(new RegExp(`/articles/${SLUG}\\?contribution=${deep.id}#${t.anchorId}$`));
  // The date is the same permanent link.
  await expect(item.getByRole("link", { name: /UTC$/ })).toHaveAttribute("href", new URL(url).pathname + new URL(url).search + new URL(url).hash);

  // Someone else, signed out, follows it: the discussion is open, the thread unfolded down to it, focus on it.
  const other = await newPage();
  await other.goto(url);
  const otherArticle = new ArticlePage(other, PATH);
  const otherPanel = otherArticle.panel(N);
  await expect(otherPanel).toBeVisible();
  const linked = otherPanel.locator(`[data-contribution-id="${deep.id}"]`);
  await expect(linked).toBeFocused();
  await expect(linked).toHaveAttribute("data-linked", "true");
  await expect(linked).toBeInViewport();
  const thread = otherPanel.getByRole("region", { name: "The linked reply, in its thread" });
  await expect(thread.locator(`[data-contribution-id="${root.id}"]`)).toContainText("The root of the thread.");
  await expect(thread.locator(`[data-contribution-id="${middle.id}"]`)).toContainText("A reply in the middle.");
  // Shown once, not again in the list below.
  await expect(otherPanel.locator(`[data-contribution-id="${root.id}"]`)).toHaveCount(1);
});

test("a link to a contribution beyond the first page still opens it; a removed one says why", async ({ page, consoleGuard }) => {
  // The deleted one's lookup answers 404, which the page explains.
  consoleGuard.allowFailedRequest(404, /\/api\/contributions\/[0-9a-f-]{36}$/);
  const N = 4;
  const author = await createUser(page.request, "Pager");
  await signIn(page, author);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const t = await article.target(N);
  const oldest = await createContribution(page.request, { ...t, kind: "ANNOTATION", body: "The oldest one, on page two.", selector: wholeParagraph(t.text) }, SLUG);
  for (let i = 0; i < 21; i++) {
    await createContribution(page.request, { ...t, kind: "ANNOTATION", body: `Newer note ${i}.`, selector: wholeParagraph(t.text) }, SLUG);
  }
  await page.goto(`${PATH}?contribution=${oldest.id}#${t.anchorId}`);
  const panel = article.panel(N);
  const linked = panel.locator(`[data-contribution-id="${oldest.id}"]`);
  await expect(linked).toBeFocused();
  await expect(panel.getByRole("region", { name: "The linked contribution" })).toContainText("The oldest one, on page two.");
  await expect(panel.getByRole("button", { name: "Show older contributions" })).toBeVisible();
  await expect(linked).toHaveCount(1);

  const gone = await createContribution(page.request, { ...t, kind: "ANNOTATION", body: "Deleted before anyone followed the link.", selector: wholeParagraph(t.text) }, SLUG);
  expect((await page.request.delete(`/api/contributions/${gone.id}?version=${gone.version}`)).status()).toBe(204);
  await page.goto(`${PATH}?contribution=${gone.id}#${t.anchorId}`);
  await expect(panel.getByRole("status").filter({ hasText: "The linked contribution is not here" })).toBeVisible();
});

test("a link to selected words marks them for whoever opens it", async ({ page, newPage }) => {
  const N = 6;
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const text = await article.text(N);
  const words = text.split(" ").slice(2, 7).join(" ");
  const start = text.indexOf(words);
  await article.paragraphText(N).scrollIntoViewIfNeeded();
  // Select the words with the mouse (a DOM range over the paragraph's text), as a reader would.
  await article.paragraphText(N).evaluate(
    (el, [s, e]) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let pos = 0;
      const range = document.createRange();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.textContent!.length;
        if (pos <= s! && s! <= pos + len) range.setStart(n, s! - pos);
        if (pos <= e! && e! <= pos + len) {
          range.setEnd(n, e! - pos);
          break;
        }
        pos += len;
      }
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
    },
    [start, start + words.length],
  );
  await article.paragraphText(N).dispatchEvent("mouseup");
  await page.getByRole("button", { name: "Copy link to the selected words" }).click();
  await expect(page.getByText("Link copied")).toBeVisible();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toContain(`?passage=${start}-${start + words.length}#`);

  const other = await newPage();
  await other.goto(url);
  const otherArticle = new ArticlePage(other, PATH);
  await expect(otherArticle.paragraph(N)).toBeFocused();
  await expect(otherArticle.paragraphText(N).locator('[data-active="true"]')).toHaveText(words);
});
