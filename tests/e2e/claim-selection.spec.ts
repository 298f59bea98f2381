import type { Locator, Page } from "@playwright/test";
import { createUser, expect, PARAGRAPH, signIn, test } from "./fixtures";

const N = PARAGRAPH.claimSelection;
const WORDS = "voting with one’s feet";

/**
 * Selects `words` inside a paragraph with a real mouse drag: press just inside the left edge
 * of the first character, release just inside the right edge of the last one.
 */
async function dragSelect(page: Page, paragraphText: Locator, words: string): Promise<void> {
  await paragraphText.scrollIntoViewIfNeeded();
  const points = await paragraphText.evaluate((p, w) => {
    const full = p.textContent ?? "";
    const start = full.indexOf(w);
    if (start < 0) throw new Error(`"${w}" is not in the paragraph`);
    const end = start + w.length;
    const charRect = (offset: number) => {
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent?.length ?? 0;
        if (offset < seen + len) {
          const r = document.createRange();
          r.setStart(node, offset - seen);
          r.setEnd(node, offset - seen + 1);
          return r.getBoundingClientRect();
        }
        seen += len;
      }
      throw new Error(`offset ${offset} is past the text`);
    };
    const first = charRect(start);
    const last = charRect(end - 1);
    return {
      from: { x: first.left + 1, y: first.top + first.height / 2 },
      to: { x: last.right - 1, y: last.top + last.height / 2 },
    };
  }, words);
  await page.mouse.move(points.from.x, points.from.y);
  await page.mouse.down();
  await page.mouse.move(points.to.x, points.to.y, { steps: 8 });
  await page.mouse.up();
}

test("respond to a selected claim with a counterpoint; it is highlighted and linked after a reload", async ({
  page,
  request,
  article,
}) => {
  const author = await createUser(request, "Selector");
  await signIn(page, author);
  await article.goto();

  const text = article.paragraphText(N);
  await dragSelect(page, text, WORDS);
  expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(WORDS);

  await page.getByRole("button", { name: "Respond to selection" }).click();
  const panel = article.panel(N);
  await expect(panel).toBeVisible();
  // The form quotes the selected words as the claim.
  await expect(panel.locator("q")).toHaveText(WORDS);

  await panel.getByRole("radio", { name: "Counterpoint" }).check();
  const body = `Leaving was often the only safe protest left (${author.name}).`;
  await panel.getByLabel("Your counterpoint").fill(body);
  await panel.getByRole("button", { name: "Post counterpoint" }).click();

  const posted = panel.getByRole("article", { name: `Counterpoint by ${author.name}` });
  await expect(posted).toBeVisible();
  await expect(posted).toContainText(body);
  await expect(posted.getByRole("button", { name: `Show the claim in the text: ${WORDS}` })).toBeVisible();
  await expect(article.discussButton(N)).toHaveText("1 counterpoint");
  // The claim is highlighted at once.
  await expect(text.locator("mark.claim")).toHaveText(WORDS);

  // After a reload the claim is highlighted and the count is on the paragraph's button.
  await page.reload();
  await expect(article.discussButton(N)).toHaveText("1 counterpoint");
  await expect(article.discussButton(N)).toHaveAccessibleName(`Discuss paragraph ${N}: 1 counterpoint`);
  const marks = text.locator("mark.claim");
  await expect(marks).toHaveCount(1);
  await expect(marks).toHaveText(WORDS);
  // The paragraph's text is unchanged by the highlighting.
  expect(await text.textContent()).toContain(`was ${WORDS}. As of`);

  await article.openDiscussion(N);
  await expect(article.panel(N).getByRole("article", { name: `Counterpoint by ${author.name}` })).toContainText(body);
  await article.discussButton(N).click();
  await expect(article.panel(N)).toHaveCount(0);

  // Clicking the highlighted words opens the contributions on them.
  await text.getByRole("button", { name: `Show contributions on “${WORDS}”` }).click();
  const reopened = article.panel(N);
  await expect(reopened).toBeVisible();
  await expect(reopened.getByText("Showing contributions on the highlighted passage.")).toBeVisible();
  const item = reopened.getByRole("article", { name: `Counterpoint by ${author.name}` });
  await expect(item).toContainText(body);

  // Its quote points back at the claim in the text.
  await expect(text.locator('mark[data-active="true"]')).toHaveCount(0);
  await item.getByRole("button", { name: `Show the claim in the text: ${WORDS}` }).click();
  const active = text.locator('mark[data-active="true"]');
  await expect(active).toHaveCount(1);
  await expect(active).toHaveText(WORDS);
});

test("a selection that runs across two paragraphs offers no response", async ({ page, article }) => {
  const M = PARAGRAPH.selectionAcrossParagraphs;
  await article.goto();
  const respond = page.getByRole("button", { name: "Respond to selection" });

  // Within one paragraph the offer appears…
  await dragSelect(page, article.paragraphText(M), "locals organized housing");
  await expect(respond).toBeVisible();

  // …across two it does not.
  await article.paragraphText(M).evaluate((first) => {
    const second = first.closest("section")!.nextElementSibling!.querySelector("[data-paragraph-text]")!;
    const range = document.createRange();
    range.setStart(first.firstChild!, 10);
    range.setEnd(second.firstChild!, 10);
    const sel = window.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
  });
  await expect(respond).toHaveCount(0);
});
