import { ARTICLE_SLUG, createUser, expect, PARAGRAPH, signIn, tabUntilFocused, test } from "./fixtures";

const N = PARAGRAPH.keyboardQuote;

test("respond to part of a paragraph with the keyboard only, by typing the words to quote", async ({ page, request, article }) => {
  const author = await createUser(request, "Quoter");
  await signIn(page, author);
  await article.goto();
  const anchorId = await article.anchorId(N);
  const text = await article.text(N);
  // Words from the middle of the paragraph, typed in lower case (the paragraph's own text is quoted).
  const words = text.split(" ").slice(3, 8).join(" ");
  const start = text.indexOf(words);
  expect(start).toBeGreaterThan(0);

  await article.goto(anchorId);
  const discuss = article.discussButton(N);
  await tabUntilFocused(page, discuss, 5);
  await page.keyboard.press("Enter");
  const panel = article.panel(N);
  await expect(panel).toBeVisible();

  // The discussion comes first; the form waits behind "Respond".
  await tabUntilFocused(page, panel.getByRole("button", { name: "Respond" }), 5);
  await page.keyboard.press("Enter");
  const quoteButton = panel.getByRole("button", { name: "Quote part of it" });
  // Focus lands on the form's first choice (the kind); the claim sits just above it.
  await expect(panel.getByRole("radio", { name: "Annotation" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(quoteButton).toBeFocused();
  await page.keyboard.press("Enter");
  const field = panel.getByLabel("Words to quote");
  await expect(field).toBeFocused();

  // Words that are not there are refused, with the reason, and nothing changes.
  await page.keyboard.type("words that are not in this paragraph");
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("alert")).toContainText("not in this paragraph");
  await expect(field).toBeFocused();

  await field.fill("");
  await page.keyboard.type(words.toLowerCase());
  await page.keyboard.press("Enter");
  // The claim is now those words; focus is back in the form, on its first choice.
  await expect(panel.locator("q")).toHaveText(words);
  await expect(panel.getByRole("radio", { name: "Annotation" })).toBeFocused();

  const bodyField = panel.getByLabel("Your annotation");
  await tabUntilFocused(page, bodyField, 5);
  const body = `Typed, not selected (${author.name}).`;
  await page.keyboard.type(body);
  const submit = panel.getByRole("button", { name: "Post annotation" });
  await tabUntilFocused(page, submit, 3);
  await page.keyboard.press("Enter");

  const posted = panel.getByRole("article", { name: `Annotation by ${author.name}` });
  await expect(posted).toContainText(body);
  await expect(posted.getByRole("button", { name: `Show the claim in the text: ${words}` })).toBeVisible();

  // Stored as a span of the paragraph, at the right offsets.
  const res = await request.get(`/api/articles/${ARTICLE_SLUG}/paragraphs/${anchorId}/contributions`);
  const { items } = (await res.json()) as { items: { body: string; selector: { start: number; end: number; exact: string; wholeParagraph: boolean } }[] };
  const mine = items.find((c) => c.body === body);
  expect(mine?.selector).toMatchObject({ start, end: start + words.length, exact: words, wholeParagraph: false });
});
