/**
 * The discussion follows a revised text (docs/decisions/0042): after an admin publishes a revision,
 * a contribution whose quoted words changed sits on its claim in the new text and says the text
 * changed, showing what it quoted; one whose paragraph was deleted is listed under "On earlier
 * versions of this article" beside the paragraph it was written on, opens from a shared link, and a
 * moderator puts it back on the current text with the keyboard. This spec owns the article
 * e2e-orphans (tests/e2e/articles.json).
 */
import { ArticlePage, createContribution, createUser, e2eArticlePath, e2eArticleSlug, expect, signIn, spanOf, tabUntilFocused, test } from "./fixtures";
import { seriousViolations, STAFF } from "./moderation-fixtures";

const SLUG = e2eArticleSlug("orphans");
const PATH = e2eArticlePath("orphans");

test("after a revision: a changed quote says so, an orphan is listed apart, opens from its link, and a moderator re-attaches it", async ({ page, newPage }) => {
  // An author responds to two passages of version 1.
  const author = await createUser(page.request);
  await signIn(page, author);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  const count = await page.locator("[data-paragraph-text]").count();
  const texts: string[] = [];
  for (let n = 1; n <= count; n++) texts.push(await article.text(n));
  const second = texts[1]!;
  const words = second.split(" ");
  // Four words from the middle of paragraph 2; the revision changes the second of them.
  const at = Math.floor(words.length / 2);
  const quoted = words.slice(at, at + 4).join(" ");
  const fuzzy = await createContribution(page.request, { ...(await article.target(2)), kind: "ANNOTATION", body: "Orphans spec: on words that change.", selector: spanOf(second, quoted) }, SLUG);
  const fourth = texts[3]!;
  const lostQuote = fourth.split(" ").slice(0, 6).join(" ");
  const lost = await createContribution(page.request, { ...(await article.target(4)), kind: "COUNTERPOINT", body: "Orphans spec: on a paragraph that goes.", selector: spanOf(fourth, lostQuote) }, SLUG);

  // An admin publishes version 2: one word inside the first quote changed, paragraph 4 deleted.
  const admin = await newPage();
  await signIn(admin, STAFF.ADMIN);
  const changedWords = [...words];
  changedWords[at + 1] = `${changedWords[at + 1]!.replace(/[^\p{L}]/gu, "")}ly`;
  const next = [...texts];
  next[1] = changedWords.join(" ");
  next.splice(3, 1);
  const title = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
  const published = await admin.request.post(`/api/admin/articles/${SLUG}/revision`, { data: { baseVersion: 1, title, body: next.join("\n\n") } });
  expect(published.status(), await published.text()).toBe(201);
  expect(((await published.json()) as { revision: { reanchored: { fuzzy: number; orphaned: number } } }).revision.reanchored).toMatchObject({ fuzzy: 1, orphaned: 1 });

  // A reader (signed out) sees the fuzzy one on paragraph 2, saying the text changed.
  const reader = await newPage();
  const readerArticle = new ArticlePage(reader, PATH);
  await readerArticle.goto();
  await expect(readerArticle.paragraphText(2)).toHaveText(next[1]!);
  await expect(readerArticle.discussButton(2)).toHaveAccessibleName(/1 annotation/);
  await expect(readerArticle.paragraphText(2).locator("mark").first()).toBeVisible();
  const panel = await readerArticle.openDiscussion(2);
  const item = panel.getByRole("article").filter({ hasText: "Orphans spec: on words that change." });
  await expect(item.getByTestId("text-changed")).toContainText("The text changed since this was written.");
  await expect(item.getByTestId("text-changed")).toContainText(`It quoted: ${quoted}`);
  // The claim shown is the current text's.
  await expect(item.getByRole("button", { name: /^Show the claim in the text:/ })).toContainText(changedWords.slice(at, at + 4).join(" ").slice(0, 20));

  // The orphan: "On earlier versions of this article", beside the paragraph it was written on.
  const section = reader.getByRole("region", { name: "On earlier versions of this article" });
  await expect(section).toContainText("One contribution was written on text that has since been revised");
  await section.getByRole("button", { name: "Show it" }).click();
  const orphan = section.locator(`[data-orphan="${lost.id}"]`);
  await expect(orphan).toContainText("Written on version 1; no longer in the article since version 2");
  await expect(orphan.locator("blockquote")).toContainText(fourth.slice(0, 60));
  await expect(orphan.locator("blockquote mark")).toContainText(lostQuote);
  await expect(orphan).toContainText("Orphans spec: on a paragraph that goes.");
  expect(await seriousViolations(reader)).toEqual([]);
  // The API says the same.
  const api = (await (await reader.request.get(`/api/articles/${SLUG}/orphans`)).json()) as { items: { id: string; anchoring: { method: string } }[] };
  expect(api.items.map((o) => [o.id, o.anchoring.method])).toEqual([[lost.id, "orphaned"]]);
  const onList = (await (await reader.request.get(`/api/articles/${SLUG}/paragraphs/${await readerArticle.anchorId(2)}/contributions`)).json()) as {
    items: { id: string; anchoring: { method: string }; original: { exact: string } | null }[];
  };
  expect(onList.items.find((c) => c.id === fuzzy.id)).toMatchObject({ anchoring: { method: "fuzzy" }, original: { exact: quoted } });

  // Its shared link opens it there, focused.
  const linked = await newPage();
  await linked.goto(`${PATH}?contribution=${lost.id}#earlier-versions`);
  const linkedItem = linked.locator(`[data-orphan="${lost.id}"]`);
  await expect(linkedItem).toBeVisible();
  await expect(linkedItem.locator(":focus")).toHaveCount(1);

  // A moderator re-attaches it, keyboard only, to words of the current paragraph 4.
  const mod = await newPage();
  await signIn(mod, STAFF.MODERATOR);
  const modArticle = new ArticlePage(mod, PATH);
  await modArticle.goto();
  const target = next[3]!.split(" ").slice(0, 3).join(" ");
  await mod.getByRole("button", { name: "Show it" }).click();
  const reattach = mod.getByRole("button", { name: "Re-attach to the current text…" });
  await tabUntilFocused(mod, reattach, 80);
  await mod.keyboard.press("Enter");
  const form = mod.getByRole("form", { name: "Re-attach to the current text" });
  await expect(form).toBeVisible();
  await form.getByLabel("Paragraph of the current version").selectOption({ index: 3 });
  await form.getByLabel(/^Words of that paragraph/).fill(target);
  await form.getByLabel("Reason for the log (optional)").fill("Orphans spec: the claim is here now");
  await form.getByLabel("Reason for the log (optional)").press("Enter");
  await expect(mod.getByText("There is nothing here you can read.")).toBeVisible();
  await expect(modArticle.discussButton(4)).toHaveAccessibleName(/1 counterpoint/);

  // Readers find it on paragraph 4 now; the log has the entry.
  await readerArticle.goto();
  const p4 = await readerArticle.openDiscussion(4);
  await expect(p4.getByRole("article").filter({ hasText: "Orphans spec: on a paragraph that goes." })).toBeVisible();
  await mod.goto(`/admin/log?action=REATTACH`);
  await expect(mod.getByRole("row").filter({ hasText: "Orphan re-attached" }).first()).toBeVisible();
});
