import type { Locator } from "@playwright/test";
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

  // The discussion comes first; the form waits behind "Respond", which focuses its first choice.
  const respond = panel.getByRole("button", { name: "Respond" });
  await tabUntilFocused(page, respond, 5);
  await page.keyboard.press("Enter");
  const annotation = panel.getByRole("radio", { name: "Annotation" });
  await expect(annotation).toBeFocused();
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
  // Past the closed disclosure of optional details (DOI, archived copy, quote: margin.spec.ts).
  await page.keyboard.press("Tab");
  await expect(panel.getByText("DOI, archived copy, quoted passage")).toBeFocused();
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
  // Screen readers hear it; the form closes and focus is back on Respond, just above the new source.
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: "Source posted." })).toHaveCount(1);
  await expect(panel.getByRole("form", { name: "Add to the discussion" })).toBeHidden();
  await expect(panel.getByRole("button", { name: "Respond" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(panel.getByLabel("What this source shows")).toHaveValue("");

  // It was saved: the count is there after a reload.
  await page.reload();
  await expect(article.discussButton(N)).toHaveText("1 source");
});

test("keyboard users keep their place when they post, edit and delete", async ({ page, request, article }) => {
  const M = PARAGRAPH.keyboardFocus;
  const author = await createUser(request, "Focus");
  await signIn(page, author);
  await article.goto();
  const anchorId = await article.anchorId(M);
  await article.goto(anchorId);

  const discuss = article.discussButton(M);
  const panel = article.panel(M);
  await tabUntilFocused(page, discuss, 5);
  await page.keyboard.press("Enter");
  await expect(panel).toBeVisible();
  // Escape closes the discussion and gives focus back to its button.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(discuss).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(panel).toBeVisible();

  /** Where focus is, for the failure message. */
  const focused = () => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? "(nothing)");
  const isInside = (scope: Locator) => scope.evaluate((el) => el.contains(document.activeElement));
  /**
   * A soft check (the test goes on to report the other steps); if focus was lost, the test
   * puts it on `next` so the remaining steps can still be tried with the keyboard.
   */
  async function expectFocusKept(step: string, ok: () => Promise<boolean>, next: Locator) {
    const kept = await expect.poll(ok, { timeout: 2_000 }).toBe(true).then(
      () => true,
      () => false,
    );
    expect.soft(kept, `${step}: focus went to ${await focused()}`).toBe(true);
    if (!kept) await next.focus();
  }

  await tabUntilFocused(page, panel.getByRole("button", { name: "Respond" }), 5);
  await page.keyboard.press("Enter");
  await tabUntilFocused(page, panel.getByLabel("Your annotation"), 8);
  await page.keyboard.type("Typed without a mouse.");
  await tabUntilFocused(page, panel.getByRole("button", { name: "Post annotation" }), 3);
  await page.keyboard.press("Enter");
  const item = panel.getByRole("article", { name: `Annotation by ${author.name}` });
  await expect(item).toContainText("Typed without a mouse.");
  const edit = item.getByRole("button", { name: "Edit your annotation" });
  await expectFocusKept("after posting, focus stays in the discussion", () => isInside(panel), edit);

  // Focus is in the panel: Tab reaches the new contribution's Edit button.
  if (!(await edit.evaluate((el) => el === document.activeElement))) await tabUntilFocused(page, edit, 10);
  await page.keyboard.press("Enter");
  const box = item.getByLabel("Edit your annotation");
  await expectFocusKept(
    "after choosing Edit, focus is in the edit box",
    () => box.evaluate((el) => el === document.activeElement),
    box,
  );
  await page.keyboard.press("End");
  await page.keyboard.type(" Edited too.");
  await tabUntilFocused(page, item.getByRole("button", { name: "Save" }), 3);
  await page.keyboard.press("Enter");
  await expect(item).toContainText("Typed without a mouse. Edited too.");
  await expect(item).toContainText("(edited)");
  const del = item.getByRole("button", { name: "Delete your annotation" });
  await expectFocusKept("after saving, focus stays on the contribution", () => isInside(item), del);

  if (!(await del.evaluate((el) => el === document.activeElement))) await tabUntilFocused(page, del, 3);
  await page.keyboard.press("Enter");
  const confirm = item.getByRole("button", { name: "Delete", exact: true });
  await expect(item).toContainText("Delete this annotation?");
  await expectFocusKept("after choosing Delete, focus is on the confirmation", () => isInside(item), confirm);

  if (!(await confirm.evaluate((el) => el === document.activeElement))) await tabUntilFocused(page, confirm, 3);
  await page.keyboard.press("Enter");
  await expect(item).toHaveCount(0);
  await expectFocusKept("after deleting, focus stays in the discussion", () => isInside(panel), panel.getByRole("button", { name: "Respond" }));

  // And Escape still closes the discussion from there.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(discuss).toBeFocused();
});
