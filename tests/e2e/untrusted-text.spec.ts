import type { Locator, Page } from "@playwright/test";
import { createUser, expect, PARAGRAPH, signIn, test } from "./fixtures";

const N = PARAGRAPH.untrustedText;

const SCRIPT_LINE = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;
const LINK_LINE = "[click](javascript:window.__xss=3)";

const xssMarker = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);

async function expectInert(page: Page, item: Locator): Promise<void> {
  const text = item.locator(".user-text");
  await expect(text).toContainText("<script>");
  await expect(text).toContainText("</script><img src=x onerror=");
  await expect(text.getByText(LINK_LINE, { exact: true })).toBeVisible();
  await expect(item.locator("script, img, iframe, svg")).toHaveCount(0);
  // No link from what was written; the item's only links are the app's own: the author's page and
  // the contribution's permanent link (its date).
  await expect(text.getByRole("link")).toHaveCount(0);
  const hrefs = await item.getByRole("link").evaluateAll((links) => links.map((l) => l.getAttribute("href") ?? ""));
  expect(hrefs).toHaveLength(2);
  expect(hrefs[0]).toMatch(/^\/people\/[0-9a-f-]{36}$/);
  expect(hrefs[1]).toMatch(/^\/articles\/[^?#]+\?contribution=[0-9a-f-]{36}#/);
  await expect(item.locator('a[href^="javascript:" i]')).toHaveCount(0);
  expect(await xssMarker(page)).toBeUndefined();
}

test.describe("text people write", () => {
  test("markup and script in a contribution are shown as text and never run", async ({ page, request, article }) => {
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    // Even the display name carries markup.
    const name = `Mallory <img src=x onerror="window.__xss=6"> ${Date.now().toString(36)}`;
    const author = await createUser(request, "Mallory", name);
    await signIn(page, author);
    await article.goto();
    await expect(page.getByRole("navigation", { name: "Site" })).toContainText(`Signed in as ${name}`);

    const panel = await article.openForm(N);
    await panel.getByLabel("Your annotation").fill(`${SCRIPT_LINE}\n\n${LINK_LINE}`);
    await panel.getByRole("button", { name: "Post annotation" }).click();

    const posted = panel.getByRole("article", { name: `Annotation by ${author.name}` });
    await expect(posted).toBeVisible();
    await expect(posted.locator("header")).toContainText(name);
    await expectInert(page, posted);

    await page.reload();
    const again = (await article.openDiscussion(N)).getByRole("article", { name: `Annotation by ${author.name}` });
    await expect(again).toBeVisible();
    await expectInert(page, again);
    await expect(page.locator("img")).toHaveCount(0);
    // Give an injected handler (had there been one) a moment to fire.
    await page.waitForTimeout(300);
    expect(await xssMarker(page)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  test("words with underscores are shown as typed", async ({ page, request, article }) => {
    const author = await createUser(request, "Snake");
    await signIn(page, author);
    await article.goto();
    const panel = await article.openForm(N);
    const body = "See window.__xss and snake_case_name in the_source_file.";
    await panel.getByLabel("Your annotation").fill(body);
    await panel.getByRole("button", { name: "Post annotation" }).click();
    const posted = panel.getByRole("article", { name: `Annotation by ${author.name}` });
    await expect(posted.locator(".user-text")).toHaveText(body);
    await expect(posted.locator(".user-text em")).toHaveCount(0);
  });

  test("a source link with a javascript: URL is refused at the field; its title is shown as text", async ({
    page,
    request,
    article,
    consoleGuard,
  }) => {
    consoleGuard.allowFailedRequest(422, /\/api\/articles\/[^/]+\/contributions$/);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const author = await createUser(request, "Trudy");
    await signIn(page, author);
    await article.goto();
    const panel = await article.openForm(N);

    await panel.getByRole("radio", { name: "Source link" }).check();
    const url = panel.getByLabel("Source URL");
    await url.fill("javascript:window.__xss=4");
    await panel.getByLabel("Title (optional)").fill(`<img src=x onerror="window.__xss=5">`);
    await panel.getByLabel("What this source shows").fill("Nothing good.");
    await panel.getByRole("button", { name: "Post source" }).click();

    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(url).toHaveAccessibleDescription(/must start with http:\/\/ or https:\/\//);
    await expect(panel.getByRole("alert").filter({ hasText: "Please correct the fields marked below. Nothing was posted." })).toBeVisible();
    await expect(panel.getByRole("article", { name: `Source by ${author.name}` })).toHaveCount(0);
    // Nothing typed was lost.
    await expect(panel.getByLabel("What this source shows")).toHaveValue("Nothing good.");

    await url.fill("https://example.net/report");
    await panel.getByRole("button", { name: "Post source" }).click();
    const posted = panel.getByRole("article", { name: `Source by ${author.name}` });
    const link = posted.getByRole("link", { name: `<img src=x onerror="window.__xss=5">` });
    await expect(link).toHaveAttribute("href", "https://example.net/report");
    await expect(posted.locator("img, script")).toHaveCount(0);
    expect(await xssMarker(page)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});
