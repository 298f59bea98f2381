import {
  ArticlePage,
  createContribution,
  createUser,
  expect,
  PARAGRAPH,
  siteHeader,
  signIn,
  spanOf,
  test,
  wholeParagraph,
} from "./fixtures";

const N = PARAGRAPH.signedOut;

test("a signed-out visitor reads the discussion but gets a sign-in prompt instead of the form", async ({
  page,
  request,
  article,
  newPage,
}) => {
  // Another person writes two contributions through the API.
  const writer = await createUser(request, "Writer");
  const writerPage = await newPage();
  await signIn(writerPage, writer);
  const writerArticle = new ArticlePage(writerPage);
  await writerArticle.goto();
  const target = await writerArticle.target(N);
  const words = "the legacy of imperialism";
  await createContribution(writerPage.request, {
    anchorId: target.anchorId,
    versionId: target.versionId,
    kind: "ANNOTATION",
    body: "This is the strongest reason of the three.",
    selector: spanOf(target.text, words),
  });
  await createContribution(writerPage.request, {
    anchorId: target.anchorId,
    versionId: target.versionId,
    kind: "SOURCE",
    body: "A history of the region's view of Moscow.",
    selector: wholeParagraph(target.text),
    source: { url: "https://example.com/history", title: "A regional history", stance: "CONTEXT" },
  });

  // The visitor.
  await article.goto();
  await expect(siteHeader(page).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(article.discussButton(N)).toHaveAccessibleName(`Discuss paragraph ${N}: 1 annotation, 1 source`);
  await expect(article.paragraphText(N).locator("mark.claim")).toHaveText(words);

  const panel = await article.openDiscussion(N);
  await expect(panel.getByRole("article", { name: `Annotation by ${writer.name}` })).toContainText(
    "This is the strongest reason of the three.",
  );
  const source = panel.getByRole("article", { name: `Source by ${writer.name}` });
  await expect(source.getByRole("link", { name: "A regional history" })).toHaveAttribute("href", "https://example.com/history");
  await expect(source).toContainText("Gives context");
  // Newest first.
  await expect(panel.getByRole("article")).toHaveCount(2);
  await expect(panel.getByRole("article").first()).toHaveAccessibleName(`Source by ${writer.name}`);

  // No form: no post button, no text box, no kind choice, no edit or delete; a way to sign in.
  await expect(panel.getByRole("button", { name: /^Post/ })).toHaveCount(0);
  await expect(panel.getByRole("textbox")).toHaveCount(0);
  await expect(panel.locator("textarea")).toHaveCount(0);
  await expect(panel.getByRole("radio")).toHaveCount(0);
  await expect(panel.getByRole("button", { name: /^(Edit|Delete)/ })).toHaveCount(0);
  await expect(panel).toContainText("Sign in to add an annotation, a counterpoint or a source.");

  // The prompt leads to the sign-in form and back to this paragraph, now with the form.
  const reader = await createUser(request, "Reader");
  await panel.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email", { exact: true }).fill(reader.email);
  await page.getByLabel("Password", { exact: true }).fill(reader.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(siteHeader(page)).toContainText(`Signed in as ${reader.name}`);
  await expect(page).toHaveURL(new RegExp(`#${target.anchorId}$`));
  await expect(article.paragraph(N)).toBeFocused();
  const signedInPanel = await article.openDiscussion(N);
  await expect(signedInPanel.getByRole("button", { name: "Respond" })).toBeVisible();
});
