/**
 * Issue 14 "What readers expect": author names open a profile (name, joined, published
 * contributions), and admins add articles at /admin/articles, which the home page lists with
 * their discussion counts. This spec owns the article e2e-people (tests/e2e/articles.json) and
 * the articles it adds (slugs e2e-added-<unique>).
 */
import { ArticlePage, createContribution, createUser, e2eArticlePath, expect, signIn, tabUntilFocused, test, wholeParagraph } from "./fixtures";
import { STAFF } from "./moderation-fixtures";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const joinedNow = () => new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date());

test("an author's name in the discussion opens their profile, with what readers can see of them", async ({ page, newPage, request }) => {
  const author = await createUser(request, "Profiled");
  const authorPage = await newPage();
  await signIn(authorPage, author);
  const article = new ArticlePage(authorPage, e2eArticlePath("people"));
  await article.goto();
  const target = await article.target(1);
  const base = { anchorId: target.anchorId, versionId: target.versionId, selector: wholeParagraph(target.text) };
  const shown = await createContribution(authorPage.request, { ...base, kind: "COUNTERPOINT", body: `The resolution is **not** binding (${unique()}).` }, "e2e-people");
  expect(shown.author).toEqual({ id: author.id, name: author.name });
  const hidden = await createContribution(authorPage.request, { ...base, kind: "ANNOTATION", body: `This one a moderator hides (${unique()}).` }, "e2e-people");
  const modPage = await newPage();
  await signIn(modPage, STAFF.MODERATOR);
  const hide = await modPage.request.post("/api/admin/decisions", { data: { decision: "HIDE", reason: "Hidden by the people spec.", items: [{ id: hidden.id, version: hidden.version }] } });
  expect(hide.status(), await hide.text()).toBe(200);

  // A reader, signed out, opens the discussion and follows the author's name.
  const reader = new ArticlePage(page, e2eArticlePath("people"));
  await reader.goto();
  const panel = await reader.openDiscussion(1);
  const item = panel.getByRole("article", { name: `Counterpoint by ${author.name}` });
  await expect(item).toBeVisible();
  await item.getByRole("link", { name: author.name, exact: true }).click();
  await page.waitForURL(`**/people/${author.id}`);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(author.name);
  await expect(page.getByText(`Joined ${joinedNow()}`)).toBeVisible();
  await expect(page.getByText("1 published contribution, newest first.")).toBeVisible();
  const list = page.getByRole("list", { name: `Contributions by ${author.name}` });
  const entry = list.locator(`article[data-contribution-id="${shown.id}"]`);
  await expect(entry).toContainText("Counterpoint");
  await expect(entry).toContainText("E2E copy (people)");
  // The body went through the one rendering path: **not** is bold, not asterisks.
  await expect(entry.locator("strong")).toHaveText("not");
  await expect(list.locator("article")).toHaveCount(1);
  await expect(page.getByText("This one a moderator hides")).toHaveCount(0);
  await expect(page.getByText(author.email)).toHaveCount(0);

  // Its link leads to the contribution itself: the paragraph's discussion opens on it, focused.
  await entry.getByRole("link", { name: /See it in the article/ }).click();
  await page.waitForURL((url) => url.pathname === e2eArticlePath("people") && url.searchParams.get("contribution") === shown.id && url.hash === `#${target.anchorId}`);
  await expect(reader.panel(1).locator(`[data-contribution-id="${shown.id}"]`)).toBeFocused();

  // The same through the API, and a 404 for an id that names nobody.
  const api = await request.get(`/api/people/${author.id}`);
  expect(api.status()).toBe(200);
  const json = (await api.json()) as { person: { name: string; published: number }; contributions: { items: { id: string }[] } };
  expect(json.person).toMatchObject({ name: author.name, published: 1 });
  expect(json.contributions.items.map((c) => c.id)).toEqual([shown.id]);
  expect((await request.get("/api/people/7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")).status()).toBe(404);
});

test("an unknown person's page is a 404 page", async ({ page, consoleGuard }) => {
  consoleGuard.allowFailedRequest(404, /\/people\//);
  for (const id of ["7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "not-an-id"]) {
    const res = await page.goto(`/people/${id}`);
    expect(res?.status(), id).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  }
});

test("an admin adds an article with the keyboard alone; the home page lists it with its counts, and it can be discussed", async ({ page }) => {
  test.slow(); // The home page's counts may take up to 30 s to catch up (its data cache).
  const slug = `e2e-added-${unique()}`;
  const title = `An article added in the browser ${slug}`;
  await signIn(page, STAFF.ADMIN);
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Moderation" }).getByRole("link", { name: "Articles" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Articles" })).toBeVisible();

  const form = page.getByRole("form", { name: "Add an article" });
  // The form comes after the list of articles, each with its policy control and its "Edit text" link.
  await tabUntilFocused(page, form.getByLabel(/^Slug/), 150);
  await page.keyboard.type(slug);
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Title")).toBeFocused();
  await page.keyboard.type(title);
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Publisher (optional)")).toBeFocused();
  await page.keyboard.type("The E2E Gazette");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Analysis");
  await tabUntilFocused(page, form.getByLabel("Text"), 10);
  await page.keyboard.type("Exiles are not the enemy, the article claims.");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.type("A second paragraph that readers can dispute.");

  // Preview first: the parsed paragraphs, nothing stored.
  await page.keyboard.press("Tab");
  await expect(form.getByRole("button", { name: "Preview paragraphs" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(form.getByRole("status")).toContainText("Preview: 2 paragraphs");
  const preview = form.getByRole("region", { name: `Preview: ${title}` });
  await expect(preview.getByRole("listitem")).toHaveCount(2);
  await expect(preview).toContainText("The E2E Gazette");

  await page.keyboard.press("Tab");
  await expect(form.getByRole("button", { name: "Publish article" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(form.getByRole("status")).toContainText(`Published “${title}” (2 paragraphs).`);
  const row = page.getByRole("row", { name: new RegExp(title) });
  await expect(row).toContainText("Added here");
  await expect(row).toContainText("No contributions yet");

  // The same slug again is refused with the reason, next to the field.
  const again = await page.request.post("/api/admin/articles", { data: { slug, title: "Again", body: "Text." } });
  expect(again.status()).toBe(409);
  expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already taken/);

  // The home page lists it with its facts as given, and its counts.
  await page.goto("/");
  const listed = page.getByRole("article", { name: title });
  await expect(listed).toContainText("Analysis · The E2E Gazette");
  await expect(listed).toContainText("2 paragraphs · No contributions yet");

  // It opens and can be discussed.
  await listed.getByRole("link", { name: title }).click();
  await page.waitForURL(`**/articles/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const article = new ArticlePage(page, `/articles/${slug}`);
  await article.goto(); // a full load: the version id travels in the first page's payload
  const target = await article.target(2);
  const posted = await createContribution(page.request, { anchorId: target.anchorId, versionId: target.versionId, kind: "COUNTERPOINT", body: "Readers can dispute this.", selector: wholeParagraph(target.text) }, slug);
  await page.reload();
  await expect(article.discussButton(2)).toHaveAccessibleName(/1 counterpoint/);
  const panel = await article.openDiscussion(2);
  await expect(panel.locator(`[data-contribution-id="${posted.id}"]`)).toContainText("Readers can dispute this.");

  // The home page's counts catch up within its cache interval.
  await expect
    .poll(
      async () => {
        await page.goto("/");
        return page.getByRole("article", { name: title }).textContent();
      },
      { timeout: 45_000, intervals: [2_000, 5_000] },
    )
    .toContain("1 contribution: 1 counterpoint");
});

test("readers cannot reach /admin/articles or add an article", async ({ page, request }) => {
  // Signed out: to the sign-in page, coming back here after.
  await page.goto("/admin/articles");
  await page.waitForURL((url) => url.pathname === "/signin" && url.searchParams.get("callbackUrl") === "/admin/articles");
  const body = { slug: `e2e-reader-${unique()}`, title: "Not allowed", body: "Text." };
  expect((await request.post("/api/admin/articles", { data: body })).status()).toBe(401);

  // A reader: no access, and 403 from the API; a moderator neither.
  await signIn(page, await createUser(request, "Noarticles"));
  await page.goto("/admin/articles");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You don’t have access");
  await expect(page.getByRole("form", { name: "Add an article" })).toHaveCount(0);
  expect((await page.request.post("/api/admin/articles", { data: body })).status()).toBe(403);
  expect((await page.request.post("/api/admin/articles/preview", { data: body })).status()).toBe(403);
  await signIn(page, STAFF.MODERATOR);
  expect((await page.request.post("/api/admin/articles", { data: body })).status()).toBe(403);
  await page.goto("/admin");
  await expect(page.getByRole("navigation", { name: "Moderation" }).getByRole("link", { name: "Articles" })).toHaveCount(0);
  expect((await request.get(`/articles/${body.slug}`)).status()).toBe(404);
});
