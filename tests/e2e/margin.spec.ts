/**
 * A margin worth reading: without opening anything, a paragraph shows the first line of the item
 * its discussion opens with; the panel filters by kind with the keyboard; a source link is an
 * object (domain, DOI, archived copy, quoted passage) entered and read in the margin. The
 * disagreement marker after a scoring run is in ranking.spec.ts (it needs rated items).
 * The spec owns its articles (e2e-margin, e2e-sources).
 */
import {
  ArticlePage,
  createContribution,
  createUser,
  e2eArticlePath,
  e2eArticleSlug,
  expect,
  signIn,
  tabUntilFocused,
  test,
  wholeParagraph,
  type ContributionInput,
} from "./fixtures";
import { seriousViolations } from "./moderation-fixtures";

test("the margin shows the opening item's first line, and the panel filters by kind with the keyboard", async ({ page }) => {
  const N = 3;
  const author = await createUser(page.request, "Margin", `Margin Author ${Date.now().toString(36)}`);
  await signIn(page, author);
  const article = new ArticlePage(page, e2eArticlePath("margin"));
  await article.goto();
  const t = await article.target(N);
  const post = (kind: ContributionInput["kind"], body: string, source?: ContributionInput["source"]) =>
    createContribution(page.request, { anchorId: t.anchorId, versionId: t.versionId, kind, body, selector: wholeParagraph(t.text), source }, e2eArticleSlug("margin"));
  const note = await post("ANNOTATION", "**Exiles** are not a monolith.\nSecond line, not shown.");
  const source = await post("SOURCE", "Figures from the statistics office.", { url: "https://www.stats.example.org/2024", stance: "REFUTES" });
  const counter = await post("COUNTERPOINT", "> Visa bans punish the wrong people.\nAnd more.");

  // Nothing is scored yet: the teaser is the newest, its first line as plain text.
  await article.goto();
  const teaser = article.paragraph(N).locator("[data-top-item]");
  await expect(teaser).toHaveText(`Latest counterpoint: “Visa bans punish the wrong people.” — ${author.name}`);
  await expect(article.paragraph(N).locator("[data-contested]")).toHaveCount(0);
  await expect(article.discussButton(N)).toHaveAccessibleName(`Discuss paragraph ${N}: 1 annotation, 1 counterpoint, 1 source`);

  // Keyboard only from the paragraph's deep link.
  await article.goto(t.anchorId);
  await tabUntilFocused(page, article.discussButton(N), 5);
  await page.keyboard.press("Enter");
  const panel = article.panel(N);
  // The discussion's code is fetched on first opening: wait for the panel, then for its list.
  await expect(panel).toBeVisible();
  await expect(panel.getByText("Loading…")).toHaveCount(0);
  const ids = () => panel.locator("[data-contribution-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-contribution-id")));
  expect(await ids()).toEqual([counter.id, source.id, note.id]);
  // The teaser gives way to the list while the panel is open.
  await expect(teaser).toHaveCount(0);

  const filter = panel.getByRole("group", { name: "Show contributions of one kind" });
  await expect(filter.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "true");
  const sources = filter.getByRole("button", { name: "Sources" });
  await tabUntilFocused(page, sources, 25);
  await page.keyboard.press("Enter");
  await expect(sources).toHaveAttribute("aria-pressed", "true");
  await expect(sources).toBeFocused();
  await expect.poll(ids).toEqual([source.id]);
  await expect(panel.getByRole("list", { name: `Sources on paragraph ${N}, newest first` })).toBeVisible();
  const item = panel.locator(`[data-contribution-id="${source.id}"]`);
  await expect(item.locator("[data-source-domain]")).toHaveText("stats.example.org");
  await expect(item).toContainText("Refutes the claim");

  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  const annotations = filter.getByRole("button", { name: "Annotations" });
  await expect(annotations).toBeFocused();
  await page.keyboard.press("Enter");
  await expect.poll(ids).toEqual([note.id]);
  await expect(panel.locator(`[data-contribution-id="${note.id}"]`)).toContainText("Exiles are not a monolith.");
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(filter.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "true");
  await expect.poll(ids).toEqual([counter.id, source.id, note.id]);
});

test("a source link with a DOI, an archived copy and the passage it quotes, entered with the keyboard", async ({ page, consoleGuard }) => {
  // The bad DOI below is refused on purpose.
  consoleGuard.allowFailedRequest(422, /\/api\/articles\/e2e-sources\/contributions$/);
  const N = 4;
  const author = await createUser(page.request, "Sourcer");
  await signIn(page, author);
  const article = new ArticlePage(page, e2eArticlePath("sources"));
  await article.goto();
  const anchorId = await article.anchorId(N);
  await article.goto(anchorId);
  await tabUntilFocused(page, article.discussButton(N), 5);
  await page.keyboard.press("Enter");
  const panel = article.panel(N);

  // The discussion comes first; "Respond" opens the form and focuses its first choice.
  await tabUntilFocused(page, panel.getByRole("button", { name: "Respond" }), 5);
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("radio", { name: "Annotation" })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(panel.getByRole("radio", { name: "Source link" })).toBeChecked();
  await page.keyboard.press("Tab");
  await page.keyboard.type("https://www.Journal.example.com/articles/exiles-2024");
  await tabUntilFocused(page, panel.getByLabel("Stance"), 2);
  await page.keyboard.press("ArrowDown"); // refutes
  await page.keyboard.press("Tab");
  // The optional details are behind one disclosure, opened with the keyboard.
  const more = panel.getByText("DOI, archived copy, quoted passage");
  await expect(more).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(panel.getByLabel("DOI")).toBeFocused();
  await page.keyboard.type("see the paper");
  await page.keyboard.press("Tab");
  await expect(panel.getByLabel("Archived copy URL")).toBeFocused();
  await page.keyboard.type("https://web.archive.org/web/2024/https://journal.example.com/articles/exiles-2024");
  await page.keyboard.press("Tab");
  await expect(panel.getByLabel("Passage quoted from the source")).toBeFocused();
  await page.keyboard.type("Most of those who left oppose the war.");
  await page.keyboard.press("Tab");
  await page.keyboard.type("A survey of exiles contradicts the claim.");
  await tabUntilFocused(page, panel.getByRole("button", { name: "Post source" }), 3);
  await page.keyboard.press("Enter");

  // A bad DOI is named, nothing is posted, and what was typed stays.
  const doi = panel.getByLabel("DOI");
  await expect(panel.getByText("must be a DOI like 10.1234/abcd")).toBeVisible();
  await expect(doi).toHaveAttribute("aria-invalid", "true");
  await expect(panel.getByLabel("Passage quoted from the source")).toHaveValue("Most of those who left oppose the war.");
  expect(await seriousViolations(page)).toEqual([]);
  await doi.fill("https://doi.org/10.1234/exiles.2024.17");
  await panel.getByRole("button", { name: "Post source" }).click();

  const posted = panel.getByRole("article", { name: `Source by ${author.name}` });
  await expect(posted).toContainText("A survey of exiles contradicts the claim.");
  await expect(posted.locator("[data-source-domain]")).toHaveText("journal.example.com");
  await expect(posted.getByRole("link", { name: "https://doi.org/10.1234/exiles.2024.17" })).toHaveAttribute("href", "https://doi.org/10.1234/exiles.2024.17");
  await expect(posted.getByRole("link", { name: "Archived copy" })).toHaveAttribute(
    "href",
    "https://web.archive.org/web/2024/https://journal.example.com/articles/exiles-2024",
  );
  await expect(posted.locator("blockquote")).toHaveText("Quoted from the source: Most of those who left oppose the war.");

  // Edited: the quote can be removed; the rest stays.
  await posted.getByRole("button", { name: "Edit your source" }).click();
  await expect(posted.getByText("DOI, archived copy, quoted passage")).toBeVisible();
  await posted.getByLabel("Passage quoted from the source").fill("");
  await posted.getByRole("button", { name: "Save" }).click();
  await expect(posted).toContainText("(edited)");
  await expect(posted.locator("blockquote")).toHaveCount(0);
  await expect(posted.getByRole("link", { name: "Archived copy" })).toBeVisible();
  await page.reload();
  const again = await article.openDiscussion(N);
  await expect(again.getByRole("link", { name: "https://doi.org/10.1234/exiles.2024.17" })).toBeVisible();

  // "(edited)" opens the edit history: as posted, then what the edit changed; Escape closes it.
  const item = again.getByRole("article", { name: `Source by ${author.name}` });
  const edited = item.getByRole("button", { name: "(edited) show the edit history" });
  await edited.focus();
  await page.keyboard.press("Enter");
  const history = item.locator("[data-edit-history]");
  await expect(history.getByRole("heading", { name: "Edit history" })).toBeFocused();
  await expect(history.locator("[data-revision]")).toHaveCount(2);
  await expect(history.locator("[data-revision]").first()).toContainText("As posted");
  await expect(history.locator("[data-revision]").first()).toContainText("Quoted: Most of those who left oppose the war.");
  await expect(history.locator("[data-revision]").nth(1).locator("del").filter({ hasText: "Most of those who left oppose the war." })).toHaveCount(1);
  await expect(history.locator("[data-revision]").nth(1).locator("ins")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(history).toHaveCount(0);
  await expect(edited).toBeFocused();
});
