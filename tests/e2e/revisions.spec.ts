/**
 * Article revisions (docs/decisions/0043): an admin edits a paragraph at /admin/articles/<slug>
 * with the keyboard, previews the word-level diff and publishes; the article shows the new text,
 * an old deep link lands on the successor paragraph (or, for a deleted paragraph, on its entry in
 * the version history), and the history page shows the diff. This spec owns the article
 * e2e-revisions (tests/e2e/articles.json).
 */
import { ArticlePage, createContribution, createUser, e2eArticlePath, e2eArticleSlug, expect, signIn, tabUntilFocused, test, wholeParagraph } from "./fixtures";
import { seriousViolations, STAFF } from "./moderation-fixtures";

const SLUG = e2eArticleSlug("revisions");
const PATH = e2eArticlePath("revisions");
const ADDED = "This sentence was added by the revisions spec.";

test("an admin revises an article with the keyboard; old links land on the successor or the history entry", async ({ page, request, newPage }) => {
  await signIn(page, STAFF.ADMIN);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const editedAnchor = await article.anchorId(2);
  const deletedAnchor = await article.anchorId(4);
  // A contribution on an unchanged paragraph: re-anchored exactly.
  await createContribution(page.request, { ...(await article.target(3)), kind: "ANNOTATION", body: "Revisions spec: stays put.", selector: wholeParagraph(await article.text(3)) }, SLUG);

  // The list links to the editor.
  await page.goto("/admin/articles");
  await expect(page.getByRole("link", { name: /^Edit text of “E2E copy \(revisions\)/ })).toHaveAttribute("href", `/admin/articles/${SLUG}`);
  await page.goto(`/admin/articles/${SLUG}`);
  await expect(page.getByRole("heading", { level: 2, name: "Edit the text (based on version 1)" })).toBeVisible();
  await expect(page.getByText(`content/articles/${SLUG}.md`)).toBeVisible();
  const body = page.getByLabel("Text", { exact: true });
  const paragraphs = (await body.inputValue()).split("\n\n");
  const deletedText = paragraphs[3]!;
  const next = [...paragraphs];
  next[1] = `${paragraphs[1]} ${ADDED}`;
  next.splice(3, 1);

  // Keyboard only: Tab to the text, replace it, Tab to "Preview changes", Enter.
  await tabUntilFocused(page, body, 40);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(next.join("\n\n"));
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Preview changes" })).toBeFocused();
  await page.keyboard.press("Enter");
  const preview = page.getByRole("heading", { name: /^Changes against version 1/ });
  await expect(preview).toBeFocused();
  await expect(page.getByRole("status")).toContainText("Preview: 2 changes against version 1. Nothing is published yet.");
  const changes = page.getByRole("list", { name: "Changed paragraphs" }).getByRole("listitem");
  await expect(changes).toHaveCount(2);
  await expect(changes.nth(0)).toContainText("Edited");
  await expect(changes.nth(0).locator("ins")).toContainText(`[inserted: ${ADDED}`.slice(0, 30));
  await expect(changes.nth(1)).toContainText("Deleted");
  await expect(changes.nth(1).locator("del")).toContainText(deletedText.slice(0, 40));
  expect(await seriousViolations(page)).toEqual([]);

  // Shift+Tab from the preview reaches "Publish revision"; Enter publishes.
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByRole("button", { name: "Publish revision" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Published version 2. Contributions re-anchored: 1 exact, 0 fuzzy, 0 orphaned.");
  await expect(page.getByRole("heading", { level: 2, name: "Edit the text (based on version 2)" })).toBeVisible();

  // A second admin still holding version 1 is refused with 409; readers 403, signed out 401.
  const stale = await page.request.post(`/api/admin/articles/${SLUG}/revision`, { data: { baseVersion: 1, title: "Stale", body: "A stale edit." } });
  expect(stale.status()).toBe(409);
  expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/you edited version 1, and version 2 has been published since/);
  expect((await request.post(`/api/admin/articles/${SLUG}/revision`, { data: { baseVersion: 2, title: "T", body: "B" } })).status()).toBe(401);
  // Publishing the current text again: "nothing changed" (422).
  const fields = Object.fromEntries(
    await Promise.all(["title", "publisher", "section", "author", "date", "caption", "credit", "note"].map(async (f) => [f, await page.locator(`#revise-${f}`).inputValue()] as const)),
  );
  const unchanged = await page.request.post(`/api/admin/articles/${SLUG}/revision`, { data: { ...fields, baseVersion: 2, body: next.join("\n\n") } });
  expect(unchanged.status(), await unchanged.text()).toBe(422);
  expect(((await unchanged.json()) as { error: { message: string } }).error.message).toMatch(/^Nothing changed/);

  // The article shows the new text, its version and a link to the history.
  const reader = await newPage();
  const someone = await createUser(reader.request);
  await signIn(reader, someone);
  expect((await reader.request.post(`/api/admin/articles/${SLUG}/revision`, { data: { baseVersion: 2, title: "T", body: "B" } })).status()).toBe(403);
  const readerArticle = new ArticlePage(reader, PATH);
  await readerArticle.goto();
  await expect(readerArticle.paragraphText(2)).toContainText(ADDED);
  await expect(reader.getByText(deletedText.slice(0, 60))).toHaveCount(0);
  await expect(reader.getByRole("link", { name: /^History/ })).toHaveAttribute("href", `${PATH}/history`);
  await expect(reader.getByText("Version 2 ·")).toBeVisible();
  const newAnchor = await readerArticle.anchorId(2);
  expect(newAnchor).not.toBe(editedAnchor);

  // The old deep link lands on the successor: highlighted, focused, in view.
  await reader.goto("about:blank");
  await reader.goto(`${PATH}#${editedAnchor}`);
  await reader.waitForURL((url) => url.hash === `#${newAnchor}`);
  await expect(readerArticle.paragraph(2)).toHaveAttribute("data-targeted", "true");
  await expect(readerArticle.paragraph(2)).toBeFocused();
  await expect(readerArticle.paragraph(2)).toBeInViewport();

  // The deleted paragraph's old link goes to its entry on the history page.
  await reader.goto(`${PATH}#${deletedAnchor}`);
  await reader.waitForURL((url) => url.pathname === `${PATH}/history` && url.hash === `#${deletedAnchor}`);
  const entry = reader.locator(`li[id="${deletedAnchor}"]`);
  await expect(entry).toContainText("Deleted");
  await expect(entry.locator("del")).toContainText(deletedText.slice(0, 40));
  await expect(entry).toBeInViewport();

  // The history page: newest first, with the word-level diff.
  await expect(reader.getByRole("heading", { level: 1 })).toContainText("Version history: E2E copy (revisions)");
  const headings = reader.getByRole("heading", { level: 2 });
  await expect(headings.nth(0)).toContainText("Version 2");
  await expect(headings.nth(0)).toContainText("published by an admin");
  await expect(headings.nth(1)).toContainText("Version 1");
  await expect(headings.nth(1)).toContainText("from the article file");
  await expect(reader.locator("ins").filter({ hasText: ADDED })).toHaveCount(1);
  expect(await seriousViolations(reader)).toEqual([]);

  // The API says the same.
  const versions = (await (await request.get(`/api/articles/${SLUG}/versions`)).json()) as { versions: { number: number; source: string; changes: Record<string, number> | null }[] };
  expect(versions.versions.map((v) => [v.number, v.source])).toEqual([
    [2, "ADMIN"],
    [1, "FILE"],
  ]);
  expect(versions.versions[0]!.changes).toMatchObject({ edited: 1, deleted: 1, inserted: 0 });
  expect(await (await request.get(`/api/articles/${SLUG}/anchors/${editedAnchor}`)).json()).toEqual({ current: [newAnchor], deletedIn: null, version: 2 });
  expect(await (await request.get(`/api/articles/${SLUG}/anchors/${deletedAnchor}`)).json()).toEqual({ current: [], deletedIn: 2, version: 2 });
  expect((await request.get(`/api/articles/${SLUG}/anchors/p-never-was-000000`)).status()).toBe(404);
});
