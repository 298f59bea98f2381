import { createContribution, createUser, expect, PARAGRAPH, signIn, test, wholeParagraph } from "./fixtures";

const N = PARAGRAPH.paging;

test("a long discussion shows the newest 20 and loads older ones on request", async ({ page, request, article }) => {
  const author = await createUser(request, "Prolific");
  await signIn(page, author);
  await article.goto();
  const target = await article.target(N);
  for (let i = 1; i <= 23; i++) {
    await createContribution(page.request, {
      anchorId: target.anchorId,
      versionId: target.versionId,
      kind: "ANNOTATION",
      body: `Note number ${i}.`,
      selector: wholeParagraph(target.text),
    });
  }

  await page.reload();
  await expect(article.discussButton(N)).toHaveText("23 annotations");
  const panel = await article.openDiscussion(N);
  const items = panel.getByRole("article");
  await expect(items).toHaveCount(20);
  await expect(items.first()).toContainText("Note number 23.");
  await expect(items.last()).toContainText("Note number 4.");

  await panel.getByRole("button", { name: "Show older contributions" }).click();
  await expect(items).toHaveCount(23);
  await expect(items.last()).toContainText("Note number 1.");
  await expect(panel.getByRole("button", { name: "Show older contributions" })).toHaveCount(0);
  // Each appears once.
  const bodies = await items.locator(".user-text").allTextContents();
  expect(new Set(bodies).size).toBe(23);
});
