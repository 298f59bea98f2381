import { ArticlePage, createContribution, createUser, expect, PARAGRAPH, signIn, test, wholeParagraph } from "./fixtures";

const N = PARAGRAPH.ownContributions;

test("edit and delete your own contribution; another reader sees it but cannot change it", async ({
  page,
  request,
  article,
  newPage,
}) => {
  const author = await createUser(request, "Author");
  const other = await createUser(request, "Other");
  await signIn(page, author);
  await article.goto();

  const panel = await article.openDiscussion(N);
  for (const body of ["First thought on this.", "Second thought, with a typo."]) {
    // The form waits behind "Respond" and closes again once the post is in.
    await panel.getByRole("button", { name: "Respond" }).click();
    await panel.getByLabel("Your annotation").fill(body);
    await panel.getByRole("button", { name: "Post annotation" }).click();
    await expect(panel.getByRole("article").filter({ hasText: body })).toBeVisible();
  }
  await expect(article.discussButton(N)).toHaveText("2 annotations");
  const mine = panel.getByRole("article", { name: `Annotation by ${author.name}` });
  await expect(mine).toHaveCount(2);
  // Newest first.
  await expect(mine.first()).toContainText("Second thought, with a typo.");
  const id = await mine.first().getAttribute("data-contribution-id");
  const item = panel.locator(`[data-contribution-id="${id}"]`);
  await expect(item).not.toContainText("(edited)");

  // Edit.
  await item.getByRole("button", { name: "Edit your annotation" }).click();
  const box = item.getByLabel("Edit your annotation");
  await expect(box).toHaveValue("Second thought, with a typo.");
  await box.fill("Second thought, corrected.");
  await item.getByRole("button", { name: "Save" }).click();
  await expect(item).toContainText("Second thought, corrected.");
  await expect(item).toContainText("(edited)");
  await expect(item.getByLabel("Edit your annotation")).toHaveCount(0);

  await page.reload();
  const reloaded = (await article.openDiscussion(N)).locator(`[data-contribution-id="${id}"]`);
  await expect(reloaded).toContainText("Second thought, corrected.");
  await expect(reloaded).toContainText("(edited)");

  // Another reader sees the edit, and no way to change it.
  const otherPage = await newPage();
  await signIn(otherPage, other);
  const otherArticle = new ArticlePage(otherPage);
  await otherArticle.goto();
  const otherPanel = await otherArticle.openDiscussion(N);
  const seen = otherPanel.locator(`[data-contribution-id="${id}"]`);
  await expect(seen).toContainText("Second thought, corrected.");
  await expect(seen).toContainText("(edited)");
  await expect(otherPanel.getByRole("article")).toHaveCount(2);
  await expect(otherPanel.getByRole("button", { name: /^(Edit|Delete)\b/ })).toHaveCount(0);
  // …but can still write their own.
  await expect(otherPanel.getByRole("button", { name: "Respond" })).toBeVisible();

  // Delete asks first; "Keep it" keeps it.
  const panelAgain = article.panel(N);
  await reloaded.getByRole("button", { name: "Delete your annotation" }).click();
  await expect(reloaded).toContainText("Delete this annotation?");
  await reloaded.getByRole("button", { name: "Keep it" }).click();
  await expect(reloaded).toContainText("Second thought, corrected.");
  await expect(reloaded.getByRole("button", { name: "Delete", exact: true })).toHaveCount(0);

  await reloaded.getByRole("button", { name: "Delete your annotation" }).click();
  await reloaded.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(reloaded).toHaveCount(0);
  await expect(panelAgain.getByRole("article")).toHaveCount(1);
  await expect(article.discussButton(N)).toHaveText("1 annotation");

  await page.reload();
  await expect(article.discussButton(N)).toHaveText("1 annotation");
  const after = await article.openDiscussion(N);
  await expect(after.getByRole("article")).toHaveCount(1);
  await expect(after).not.toContainText("Second thought");

  await otherPage.reload();
  await expect(otherArticle.discussButton(N)).toHaveText("1 annotation");
});

test("an edit made in another tab meanwhile is not overwritten: the stale edit is refused and explained", async ({
  page,
  request,
  article,
  consoleGuard,
}) => {
  consoleGuard.allowFailedRequest(409, /\/api\/contributions\/[0-9a-f-]{36}$/);
  const M = PARAGRAPH.staleEdit;
  const author = await createUser(request, "Twotabs");
  await signIn(page, author);
  await article.goto();
  const target = await article.target(M);
  const c = await createContribution(page.request, {
    anchorId: target.anchorId,
    versionId: target.versionId,
    kind: "ANNOTATION",
    body: "Original text.",
    selector: wholeParagraph(target.text),
  });

  // Two tabs of the same person, both showing version 1.
  const tab2 = await page.context().newPage();
  consoleGuard.watch(tab2, "tab 2");
  const article2 = new ArticlePage(tab2);
  await article2.goto();
  const item2 = (await article2.openDiscussion(M)).locator(`[data-contribution-id="${c.id}"]`);
  await page.reload();
  const item1 = (await article.openDiscussion(M)).locator(`[data-contribution-id="${c.id}"]`);

  // Tab two starts editing version 1; meanwhile tab one saves an edit.
  await item2.getByRole("button", { name: "Edit your annotation" }).click();
  await expect(item2.getByLabel("Edit your annotation")).toHaveValue("Original text.");
  await item1.getByRole("button", { name: "Edit your annotation" }).click();
  await item1.getByLabel("Edit your annotation").fill("Edited in tab one.");
  await item1.getByRole("button", { name: "Save" }).click();
  await expect(item1).toContainText("Edited in tab one.");

  // Tab two's save is refused, even though the live stream has already told it of the new version.
  await item2.getByLabel("Edit your annotation").fill("Edited in tab two.");
  await item2.getByRole("button", { name: "Save" }).click();
  await expect(item2.getByRole("alert").filter({ hasText: "changed elsewhere" })).toBeVisible();
  // The draft is kept, so it can be reapplied.
  await expect(item2.getByLabel("Edit your annotation")).toHaveValue("Edited in tab two.");

  await page.reload();
  const fresh = (await article.openDiscussion(M)).locator(`[data-contribution-id="${c.id}"]`);
  await expect(fresh).toContainText("Edited in tab one.");
  await expect(fresh).toContainText("(edited)");
});

test("when the session has ended, posting says so and keeps what was typed", async ({ page, request, article, consoleGuard }) => {
  consoleGuard.allowFailedRequest(401, /\/api\/articles\/[^/]+\/contributions$/);
  const M = PARAGRAPH.sessionEnded;
  const author = await createUser(request, "Expired");
  await signIn(page, author);
  await article.goto();
  const panel = await article.openForm(M);
  await panel.getByLabel("Your annotation").fill("Written just before the session ended.");

  await page.context().clearCookies();
  await panel.getByRole("button", { name: "Post annotation" }).click();
  await expect(panel.getByRole("alert").filter({ hasText: /sign in/i })).toBeVisible();
  await expect(panel.getByLabel("Your annotation")).toHaveValue("Written just before the session ended.");
  await expect(panel.getByRole("article")).toHaveCount(0);
  await expect(article.discussButton(M)).toHaveText("Discuss");
});
