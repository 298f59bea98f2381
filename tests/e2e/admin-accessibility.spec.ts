import { ArticlePage, createContribution, createUser, expect, signIn, test, wholeParagraph } from "./fixtures";
import { MOD_PARAGRAPH, openQueueFor, queueItem, seriousViolations, STAFF } from "./moderation-fixtures";

test("the moderation screens have no serious or critical WCAG 2.1 A/AA violations", async ({ page, request, newPage, consoleGuard }) => {
  test.slow(); // Many pages, each scanned.
  const N = MOD_PARAGRAPH.accessibility;
  const author = await createUser(request, "Axeauthor");
  const reader = await createUser(request, "Axereader");
  const admin = STAFF.ADMIN;

  // A queue with variety: a reported source link, a pending-free hidden one with an appeal.
  const authorPage = await newPage();
  await signIn(authorPage, author);
  const article = new ArticlePage(authorPage);
  await article.goto();
  const target = await article.target(N);
  const base = { anchorId: target.anchorId, versionId: target.versionId, selector: wholeParagraph(target.text) };
  const reported = await createContribution(authorPage.request, {
    ...base,
    kind: "SOURCE",
    body: "The figures are in **table 3**; see also [the summary](https://example.org/summary).",
    source: { url: "https://example.org/report.pdf", title: "Annual report", stance: "REFUTES" },
  });
  const appealed = await createContribution(authorPage.request, { ...base, kind: "ANNOTATION", body: "A note that was hidden, then appealed." });
  const readerPage = await newPage();
  await signIn(readerPage, reader);
  expect(
    (await readerPage.request.post(`/api/contributions/${reported.id}/flags`, { data: { reason: "MISINFORMATION", note: "The report says the opposite." } })).status(),
  ).toBe(201);
  await signIn(page, admin);
  const hide = await page.request.post("/api/admin/decisions", {
    data: { decision: "HIDE", reason: "Off-topic here.", items: [{ id: appealed.id, version: appealed.version }] },
  });
  expect(hide.status(), await hide.text()).toBe(200);
  expect((await authorPage.request.post(`/api/contributions/${appealed.id}/appeal`, { data: { note: "It is about this paragraph." } })).status()).toBe(201);

  // The queue, as loaded.
  await openQueueFor(page, author.name);
  await expect(queueItem(page, reported.id)).toContainText("1 open report");
  await expect(queueItem(page, appealed.id)).toContainText("It is about this paragraph.");
  expect(await seriousViolations(page)).toEqual([]);

  // The current item and its reason field.
  await page.keyboard.press("j");
  await expect(queueItem(page, reported.id)).toBeFocused();
  await page.keyboard.press("r");
  await expect(queueItem(page, reported.id).getByLabel("Reason for rejecting (the author will read it)")).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(queueItem(page, reported.id)).toBeFocused();

  // The help overlay: a modal dialog, closed with Escape, focus back where it was.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Next item");
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  await expect(queueItem(page, reported.id)).toBeFocused();

  // Bulk controls.
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByLabel(/^Reason for all selected/)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  for (const path of [`/admin/log?target=${author.id}`, "/admin/log", "/admin/users", "/admin/articles", "/moderation"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await seriousViolations(page), path).toEqual([]);
  }

  // The article form with its errors shown, then with a preview of the parsed paragraphs.
  await page.goto("/admin/articles");
  const form = page.getByRole("form", { name: "Add an article" });
  consoleGuard.allowFailedRequest(422, /\/api\/admin\/articles$/); // publishing the empty form, on purpose
  await form.getByRole("button", { name: "Publish article" }).click();
  await expect(form.getByLabel(/^Slug/)).toHaveAttribute("aria-invalid", "true");
  expect(await seriousViolations(page), "/admin/articles with errors").toEqual([]);
  await form.getByLabel(/^Slug/).fill(`axe-preview-${Date.now().toString(36)}`);
  await form.getByLabel("Title").fill("An article only previewed");
  await form.getByLabel("Text").fill("One paragraph.\n\nAnother paragraph.");
  await form.getByRole("button", { name: "Preview paragraphs" }).click();
  await expect(form.getByRole("region", { name: "Preview: An article only previewed" })).toBeVisible();
  expect(await seriousViolations(page), "/admin/articles with a preview").toEqual([]);

  // The author's page, with a hidden contribution under appeal and a published one.
  await authorPage.goto("/me/contributions");
  await expect(authorPage.locator(`article[data-contribution-id="${appealed.id}"]`)).toContainText("Your appeal: Open");
  expect(await seriousViolations(authorPage)).toEqual([]);

  // The report form on the article page, opened by a reader who has not reported it yet.
  const other = await createUser(request, "Axeother");
  const otherPage = await newPage();
  await signIn(otherPage, other);
  const readerArticle = new ArticlePage(otherPage);
  await readerArticle.goto();
  const panel = await readerArticle.openDiscussion(N);
  const item = panel.locator(`[data-contribution-id="${reported.id}"]`);
  await item.getByRole("button", { name: "Report this source" }).click();
  await expect(item.getByRole("radio", { name: /^Harassment/ })).toBeVisible();
  expect(await seriousViolations(otherPage)).toEqual([]);
});
