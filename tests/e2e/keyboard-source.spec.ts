import { createUser, expect, PARAGRAPH, signIn, tabUntilFocused, test } from "./fixtures";

const N = PARAGRAPH.keyboardSource;

test("add a source link to a whole paragraph with the keyboard only", async ({ page, request, article }) => {
  const author = await createUser(request, "Keyboard");
  await signIn(page, author);
  await article.goto();
  const anchorId = await article.anchorId(N);
  const url = `https://www.example.org/reports/exiles?id=${Date.now()}&lang=en`;
  const title = "Report on visa bans for Russians";
  const body = "The report lists which countries stopped issuing tourist visas.";

  // From here on: keyboard only. The deep link puts focus on the paragraph.
  await article.goto(anchorId);
  await expect(article.paragraph(N)).toBeFocused();

  const discuss = article.discussButton(N);
  await tabUntilFocused(page, discuss, 5);
  await page.keyboard.press("Enter");
  const panel = article.panel(N);
  await expect(panel).toBeVisible();
  await expect(discuss).toHaveAttribute("aria-expanded", "true");

  const annotation = panel.getByRole("radio", { name: "Annotation" });
  await tabUntilFocused(page, annotation, 5);
  await expect(annotation).toBeChecked();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const sourceRadio = panel.getByRole("radio", { name: "Source link" });
  await expect(sourceRadio).toBeChecked();
  await expect(sourceRadio).toBeFocused();

  await page.keyboard.press("Tab");
  await expect(panel.getByLabel("Source URL")).toBeFocused();
  await page.keyboard.type(url);
  await page.keyboard.press("Tab");
  await expect(panel.getByLabel("Title (optional)")).toBeFocused();
  await page.keyboard.type(title);
  await page.keyboard.press("Tab");
  const stance = panel.getByLabel("Stance");
  await expect(stance).toBeFocused();
  await expect(stance).toHaveValue("SUPPORTS");
  await page.keyboard.press("ArrowDown");
  await expect(stance).toHaveValue("REFUTES");
  await page.keyboard.press("Tab");
  await expect(panel.getByLabel("What this source shows")).toBeFocused();
  await page.keyboard.type(body);

  const submit = panel.getByRole("button", { name: "Post source" });
  await tabUntilFocused(page, submit, 3);
  await page.keyboard.press("Enter");

  const posted = panel.getByRole("article", { name: `Source by ${author.name}` });
  await expect(posted).toBeVisible();
  await expect(posted).toContainText(body);
  await expect(posted).toContainText("On the whole paragraph");
  await expect(posted).toContainText("Refutes the claim");
  const link = posted.getByRole("link", { name: title });
  await expect(link).toHaveAttribute("href", url);
  await expect(link).toHaveAttribute("rel", /(^|\s)noopener(\s|$)/);
  await expect(discuss).toHaveText("1 source");
  await expect(discuss).toHaveAccessibleName(`Discuss paragraph ${N}: 1 source`);
  // Screen readers hear it; the form is ready for the next one.
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: "Source posted." })).toHaveCount(1);
  await expect(panel.getByLabel("What this source shows")).toHaveValue("");

  // Escape closes the discussion and puts focus back on its button.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(discuss).toBeFocused();
  await expect(discuss).toHaveAttribute("aria-expanded", "false");

  // The same after a reload, for everyone.
  await page.reload();
  await expect(article.discussButton(N)).toHaveText("1 source");
});
