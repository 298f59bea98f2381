import { ARTICLE_PATH, expect, PARAGRAPH, test } from "./fixtures";

const N = PARAGRAPH.deepLink;

test("a deep link scrolls to its paragraph, highlights it and focuses it", async ({ page, article }) => {
  await article.goto();
  const anchorId = await article.anchorId(N);
  await expect(article.paragraph(N).getByRole("link", { name: `Link to paragraph ${N}` })).toHaveAttribute(
    "href",
    `#${anchorId}`,
  );

  // A fresh load of the deep link, from the top of a new page.
  await page.goto("about:blank");
  await page.goto(`${ARTICLE_PATH}#${anchorId}`);
  const section = article.paragraph(N);

  await expect(section).toHaveAttribute("data-targeted", "true");
  await expect(section).toHaveClass(/\bparagraph-target\b/);
  await expect(section).toBeFocused();
  await expect(section).toBeInViewport();
  // Its whole box is inside the viewport.
  const viewport = page.viewportSize()!;
  const box = (await section.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  // It is not the top of the page: the browser really scrolled.
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);

  // Highlighted: a visible background (it fades in, so wait for it to settle).
  await expect
    .poll(() => section.evaluate((el) => getComputedStyle(el).backgroundColor))
    .toMatch(/^rgb\(/);
  const bg = await section.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).not.toBe("rgba(0, 0, 0, 0)");
  expect(bg).not.toBe("transparent");

  // Other paragraphs are not highlighted.
  await expect(article.paragraph(N - 1)).not.toHaveAttribute("data-targeted", "true");
  expect(await article.paragraph(N - 1).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgba(0, 0, 0, 0)");
});

test("following a ¶ link targets that paragraph without a reload", async ({ page, article }) => {
  await article.goto();
  const anchorId = await article.anchorId(N);
  await article.paragraph(N).getByRole("link", { name: `Link to paragraph ${N}` }).click();
  await expect(page).toHaveURL(new RegExp(`#${anchorId}$`));
  await expect(article.paragraph(N)).toHaveAttribute("data-targeted", "true");
  await expect(article.paragraph(N)).toBeFocused();
  await expect(article.paragraph(N)).toBeInViewport();
});
