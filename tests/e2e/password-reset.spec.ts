import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createUser, expect, signIn, signInThroughForm, siteHeader, test } from "./fixtures";
import { linkIn, waitForMail } from "./mail";

/**
 * Email that really sends: the app's outbox worker delivers over SMTP to the test mail server
 * that scripts/e2e-server.mjs runs, and these tests read what arrived (tests/e2e/mail.ts) and
 * follow its links in Chromium.
 */

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} — ${n.target.join(" ")}`));
}

test("a forgotten password is reset through the emailed link, and the new one signs in", async ({ page, request, browser, consoleGuard }) => {
  const user = await createUser(request, "Forgetful");
  // Another device, signed in with the old password: the reset signs it out.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, user);
  await other.goto("/");
  await expect(siteHeader(other)).toContainText(`Signed in as ${user.name}`);

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forgot your password?");
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account uses that address, we have sent it a link");

  const mail = await waitForMail(user.email, "Reset your password");
  expect(mail.text).toContain(user.name);
  const link = linkIn(mail, "/reset-password");
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
  expect(await seriousViolations(page)).toEqual([]);

  const newPassword = `new-${user.password}`;
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password is changed");
  await page.getByRole("link", { name: "Sign in" }).last().click();
  await expect(page).toHaveURL(/\/signin$/);

  // The old password no longer works; the new one does.
  consoleGuard.allowFailedRequest(401, /\/api\/auth\/callback\/credentials/);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await signInThroughForm(page, { ...user, password: newPassword });

  // The device signed in before the reset is signed out.
  await other.reload();
  await expect(siteHeader(other).getByRole("link", { name: "Sign in" })).toBeVisible();
  await otherContext.close();

  // The link works once.
  consoleGuard.allowFailedRequest(400, /\/api\/password-reset\/complete/);
  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill("a-third-password-123");
  await page.getByLabel("New password again").fill("a-third-password-123");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This reset link is not valid" })).toContainText("already used");
  await expect(page.getByRole("link", { name: "Ask for a new link" })).toBeVisible();
});

test("a new account is asked to confirm its address, and the emailed link does it", async ({ page, request }) => {
  const user = await createUser(request, "Unconfirmed");
  await signIn(page, user);
  await page.goto("/");
  const banner = page.getByRole("region", { name: "Email confirmation" });
  await expect(banner).toContainText("Please confirm your email address");
  expect(await seriousViolations(page)).toEqual([]);

  await banner.getByRole("button", { name: "Send the link again" }).click();
  await expect(banner.getByRole("status")).toHaveText("We have sent you a new confirmation link.");

  const mail = await waitForMail(user.email, "Confirm your email address");
  await page.goto(linkIn(mail, "/verify-email"));
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("status")).toHaveText("Your email address is confirmed.");
  await page.goto("/");
  await expect(siteHeader(page)).toContainText(`Signed in as ${user.name}`);
  await expect(page.getByRole("region", { name: "Email confirmation" })).toHaveCount(0);
});

test("the unsubscribe page without a link explains itself", async ({ page }) => {
  await page.goto("/unsubscribe");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Unsubscribe from digest emails");
  await expect(page.getByText("needs the unsubscribe link")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
