import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createContribution, createUser, expect, PARAGRAPH, signIn, spanOf, test } from "./fixtures";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Serious and critical WCAG 2.1 A/AA violations, one line per rule and node. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map(
        (n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(" ")} — ${n.html.slice(0, 160)} — ${n.failureSummary ?? ""}`,
      ),
    );
}

test.describe("accessibility (axe, WCAG 2.1 A and AA)", () => {
  test("the article page, signed out", async ({ page, article }) => {
    await article.goto();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("the article page, signed in, with a discussion open", async ({ page, request, article }) => {
    const N = PARAGRAPH.accessibilitySignedIn;
    const user = await createUser(request, "Axe");
    await signIn(page, user);
    await article.goto();
    const target = await article.target(N);
    await createContribution(page.request, {
      anchorId: target.anchorId,
      versionId: target.versionId,
      kind: "COUNTERPOINT",
      body: "Peskov's words are **not** a policy. See [the statement](https://example.org/peskov).",
      selector: spanOf(target.text, "why would Kremlin spokesman Dmitry Peskov encourage exiles"),
    });
    await page.reload();
    const panel = await article.openDiscussion(N);
    await expect(panel.getByRole("article", { name: `Counterpoint by ${user.name}` })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    // The longest form: a source link.
    await panel.getByRole("button", { name: "Respond" }).click();
    await panel.getByRole("radio", { name: "Source link" }).check();
    await expect(panel.getByLabel("Source URL")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("a person's page, with a contribution", async ({ page, request, article }) => {
    const user = await createUser(request, "Axeperson");
    await signIn(page, user);
    await article.goto();
    const target = await article.target(PARAGRAPH.accessibilitySignedIn);
    await createContribution(page.request, {
      anchorId: target.anchorId,
      versionId: target.versionId,
      kind: "SOURCE",
      body: "The figures are in **table 3**.\n- first\n- second",
      selector: spanOf(target.text, "why would Kremlin spokesman Dmitry Peskov encourage exiles"),
      source: { url: "https://example.org/figures", title: "The figures", stance: "CONTEXT" },
    });
    await page.goto(`/people/${user.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(user.name);
    await expect(page.getByRole("list", { name: `Contributions by ${user.name}` }).getByRole("article")).toHaveCount(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("the sign-in and sign-up pages", async ({ page }) => {
    await page.goto("/signin");
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto("/signup");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
